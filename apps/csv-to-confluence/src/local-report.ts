import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext, ExitCode } from '@broker-monitor/app-runtime';
import type { AppConfig, NodeMapping } from '@broker-monitor/config';
import { writeFileAtomic } from '@broker-monitor/csv-store';
import { historyChartAssets } from '@broker-monitor/history-chart';
import {
  REPORT_INDEX_FILE,
  REPORT_STYLESHEET_FILE,
  renderReportIndex,
  renderReportNodePage,
  reportNodeFileName,
  reportStylesheet,
} from '@broker-monitor/page-render';
import { loadContacts } from './contacts-source.js';
import { reportNodes } from './report-nodes.js';
import { finishReportRun, logStepFailure, startReportRun } from './report-run.js';
import { HEATMAP_FILE, renderHeatmap } from './summary.js';

/**
 * Writes the static HTML report into `outDir`: one page per node, streamed node by node so that
 * only the summary rows and the heatmap's 42 days per node stay in memory; then the heatmap,
 * the stylesheet, the chart's scripts and, last, index.html, so the index never links a page that is not there yet.
 * Every file is replaced atomically; pages of nodes no longer reported are removed. Prints the
 * index's path.
 */
export async function writeLocalReport(
  context: AppContext,
  config: AppConfig<'csv-to-confluence'>,
  mapping: NodeMapping,
  now: Date,
  outDir: string,
): Promise<ExitCode> {
  const run = await startReportRun(context, config, mapping, now);
  const contacts = await loadContacts({ contactsFile: config.dir.contacts }, context.logger);
  await mkdir(outDir, { recursive: true });
  const written = new Set<string>();
  const failedSteps: string[] = [];

  const { summaries: rows, heatmap: ranking } = await reportNodes(run, contacts.contacts, {
    noStatsReason: 'no stats row yet: no page',
    usable: () => true,
    staleRow: () => undefined,
    async write(node, report) {
      const file = reportNodeFileName(node.id);
      await writeFileAtomic(join(outDir, file), renderReportNodePage(report.view));
      written.add(file);
      return { file };
    },
  });

  let heatmap: Awaited<ReturnType<typeof renderHeatmap>>;
  try {
    heatmap = await renderHeatmap(ranking);
    if (heatmap === undefined) await rm(join(outDir, HEATMAP_FILE), { force: true });
    else await writeFileAtomic(join(outDir, HEATMAP_FILE), heatmap.png);
  } catch (error) {
    failedSteps.push('heatmap');
    logStepFailure(run.logger, 'heatmap', error);
  }

  await writeFileAtomic(join(outDir, REPORT_STYLESHEET_FILE), reportStylesheet());
  for (const asset of await historyChartAssets())
    await writeFileAtomic(join(outDir, asset.fileName), asset.content);
  const indexPath = join(outDir, REPORT_INDEX_FILE);
  await writeFileAtomic(
    indexPath,
    renderReportIndex(
      { rows, ...(heatmap ? { heatmap: { attachmentName: HEATMAP_FILE, caption: heatmap.caption } } : {}) },
      heatmap ? { heatmapFile: HEATMAP_FILE } : {},
    ),
  );
  for (const entry of await readdir(outDir)) {
    if (/^node-.*\.html$/.test(entry) && !written.has(entry)) await rm(join(outDir, entry), { force: true });
  }
  const code = finishReportRun(run, contacts.failure ? [...failedSteps, 'contacts'] : failedSteps);
  context.print(indexPath);
  return code;
}
