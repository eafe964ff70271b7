import { forEachConcurrent } from '@broker-monitor/app-runtime';
import type { MappedNode } from '@broker-monitor/config';
import { type Contact, pageContacts } from '@broker-monitor/contacts';
import { createHeatmapRanking, type HeatmapRanking } from '@broker-monitor/heatmap/matrix';
import type { SummaryRowView } from '@broker-monitor/page-render';
import { NO_STATS, type NodeReport, readNodeReport, utcDay } from './node-view.js';
import type { ReportRun } from './report-run.js';

/** Where a report run writes its node pages: local files or Confluence. */
export interface PageDestination {
  /** The warning for a node folder without a stats row. */
  readonly noStatsReason: string;
  /** Whether the node may have a page at all (Confluence: its title is not taken by another node). */
  usable(node: MappedNode): boolean;
  /** The summary row of a node whose page is not rendered in this run, if it has a page. */
  staleRow(node: MappedNode): SummaryRowView | undefined;
  /** Writes the node's page; what it returns goes into the node's log line. */
  write(node: MappedNode, report: NodeReport): Promise<Record<string, unknown>>;
}

export interface ReportedNodes {
  /** The summary rows, in mapping order. */
  summaries: SummaryRowView[];
  /** The heatmap's nodes (not TESTING, read), ranked in mapping order, ending today (UTC). */
  heatmap: HeatmapRanking;
}

/**
 * The node loop of every report: reads and judges each mapped node with a folder (concurrently,
 * CONFLUENCE.CONCURRENCY at once), writes its page and logs its outcome; a failed node keeps the
 * summary row of the page it had.
 */
export async function reportNodes(
  run: ReportRun,
  contacts: readonly Contact[],
  destination: PageDestination,
): Promise<ReportedNodes> {
  const summaries: (SummaryRowView | undefined)[] = new Array(run.nodes.length);
  // Ranked as the nodes are read, so that only the drawn nodes' days are held, not every node's.
  const heatmap = createHeatmapRanking(utcDay(run.now));
  await forEachConcurrent(run.nodes, run.concurrency, async (node, index) => {
    if (!destination.usable(node)) return;
    if (!run.withFolder.has(node.id)) {
      summaries[index] = destination.staleRow(node);
      return;
    }
    try {
      const report = await readNodeReport(
        run.store,
        node,
        pageContacts(contacts, node.id),
        run.now,
        run.maintenance.get(node.id),
      );
      if (report === NO_STATS) {
        run.outcomes.warning(node.id, destination.noStatsReason);
        summaries[index] = destination.staleRow(node);
        return;
      }
      // The heatmap and the metrics picture the store: a node is in them whatever becomes of its page.
      if (report.heatmap !== undefined) heatmap.add(report.heatmap, index);
      run.judged.push({
        node,
        status: report.view.status.title,
        dwhJ2ee: report.view.resources.versions['dwh-j2ee'],
      });
      const fields = await destination.write(node, report);
      summaries[index] = report.summary;
      run.outcomes.ok(node.id, { status: report.view.status.title, ...fields });
    } catch (error) {
      run.outcomes.failed(node.id, error);
      summaries[index] = destination.staleRow(node);
    } finally {
      run.progress.tick();
    }
  });
  return { summaries: summaries.filter((row) => row !== undefined), heatmap };
}
