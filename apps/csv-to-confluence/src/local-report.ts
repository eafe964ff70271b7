import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { forEachConcurrent } from '@broker-monitor/app-runtime';
import { pageContacts } from '@broker-monitor/contacts';
import type { HeatmapInputRow } from '@broker-monitor/heatmap';
import {
  REPORT_INDEX_FILE,
  REPORT_STYLESHEET_FILE,
  renderReportIndex,
  renderReportNodePage,
  reportNodeFileName,
  reportStylesheet,
  type SummaryRowView,
} from '@broker-monitor/page-render';
import { replaceFile } from './files.js';
import { NO_STATS, readNodeReport } from './node-view.js';
import { logStepFailure, type ReportRun } from './run-context.js';
import { HEATMAP_FILE, renderHeatmap } from './summary.js';

export interface LocalReportResult {
  indexPath: string;
  /** Steps of the report itself that failed (the heatmap); each already logged. */
  failedSteps: string[];
}

/**
 * Writes the static HTML report into `outDir`: one page per node, streamed node by node so that
 * only the summary rows and the heatmap's 42 days per node stay in memory; then the heatmap,
 * the stylesheet and, last, index.html, so the index never links a page that is not there yet.
 * Every file is replaced atomically; pages of nodes no longer reported are removed.
 */
export async function writeLocalReport(run: ReportRun, outDir: string): Promise<LocalReportResult> {
  await mkdir(outDir, { recursive: true });
  const summaries: (SummaryRowView | undefined)[] = new Array(run.nodes.length);
  const heatmapRows: (HeatmapInputRow | undefined)[] = new Array(run.nodes.length);
  const written = new Set<string>();
  const failedSteps: string[] = [];

  await forEachConcurrent(run.nodes, run.concurrency, async (node, index) => {
    if (!run.withFolder.has(node.id)) return;
    try {
      const report = await readNodeReport(run.workingDir, node, pageContacts(run.contacts, node.id), run.now);
      if (report === NO_STATS) {
        run.outcomes.warning(node.id, 'no stats row yet: no page');
        return;
      }
      const file = reportNodeFileName(node.id);
      await replaceFile(join(outDir, file), renderReportNodePage(report.view));
      written.add(file);
      summaries[index] = report.summary;
      heatmapRows[index] = report.heatmap;
      run.outcomes.ok(node.id, { status: report.view.status.title, file });
    } catch (error) {
      run.outcomes.failed(node.id, error);
    } finally {
      run.progress.tick();
    }
  });

  let heatmap: Awaited<ReturnType<typeof renderHeatmap>>;
  try {
    heatmap = await renderHeatmap(heatmapRows, run.now);
    if (heatmap === undefined) await rm(join(outDir, HEATMAP_FILE), { force: true });
    else await replaceFile(join(outDir, HEATMAP_FILE), heatmap.png);
  } catch (error) {
    failedSteps.push('heatmap');
    logStepFailure(run.logger, 'heatmap', error);
  }

  await replaceFile(join(outDir, REPORT_STYLESHEET_FILE), reportStylesheet());
  const rows = summaries.filter((row) => row !== undefined);
  const indexPath = join(outDir, REPORT_INDEX_FILE);
  await replaceFile(
    indexPath,
    renderReportIndex(
      { rows, ...(heatmap ? { heatmap: { attachmentName: HEATMAP_FILE, caption: heatmap.caption } } : {}) },
      heatmap ? { heatmapFile: HEATMAP_FILE } : {},
    ),
  );
  for (const entry of await readdir(outDir)) {
    if (/^node-.*\.html$/.test(entry) && !written.has(entry)) await rm(join(outDir, entry), { force: true });
  }
  return { indexPath, failedSteps };
}
