import type { MappedNode } from '@broker-monitor/config';
import type { PageContacts } from '@broker-monitor/contacts';
import type { NodeHistory, StatsRow, Store } from '@broker-monitor/csv-store';
import type { HeatmapInputRow } from '@broker-monitor/heatmap';
// The subpath without Vega: the report loads the renderer only once the pages are written.
import { HEATMAP_DAYS } from '@broker-monitor/heatmap/matrix';
import type { NodePageView, SummaryRowView } from '@broker-monitor/page-render';
import { judgeNode, pageErrors, pageResources, utcDateTime } from '@broker-monitor/status-rules';

/** What one node contributes to a run: its page, its summary row and (unless TESTING) its heatmap row. */
export interface NodeReport {
  view: NodePageView;
  summary: SummaryRowView;
  /** Undefined for TESTING nodes, which the heatmap leaves out (SPEC §3). */
  heatmap: HeatmapInputRow | undefined;
}

/** A node folder without a single stats row: no page yet (SPEC §6, a warning). */
export const NO_STATS = 'no-stats';

/**
 * Reads a node's store files and judges it at `now`: its page, summary row and heatmap row.
 * @throws a store or rules error when a file is broken (that node fails, the others go on).
 */
export async function readNodeReport(
  store: Store,
  node: MappedNode,
  contacts: PageContacts,
  now: Date,
  maintenanceNote?: string,
): Promise<NodeReport | typeof NO_STATS> {
  const history = await store.readHistory(node.id, now);
  // A year of rows per node is most of what a run allocates: they are reduced to the judgement
  // and the heatmap's days before the next await, so that with many nodes in flight they die
  // young instead of filling the old generation (see bench/report-bench.mjs).
  const judged = judgeNode(history, node, now, (year, index) => store.statsRowLocation(node.id, year, index));
  if (judged === undefined) return NO_STATS;
  const heatmap =
    judged.status.title === 'TESTING' ? undefined : heatmapRow(node.commonName, history, heatmapWindow(now));
  const [errors, resources] = await Promise.all([
    store.readErrors(node.id, now.getUTCFullYear()),
    store.readResources(node.id),
  ]);
  const view: NodePageView = {
    nodeId: node.id,
    commonName: node.commonName,
    clinicName: node.longName,
    informationSystem: node.hospitalInformationSystem,
    interfaceImport: node.importInterface,
    root: node.root,
    format: node.format,
    ...judged.page,
    errors: pageErrors(errors),
    resources: pageResources(resources),
    contacts,
    jiraLabels: node.jiraLabels,
    ...(maintenanceNote === undefined ? {} : { maintenanceNote }),
  };
  const summary: SummaryRowView = {
    nodeId: node.id,
    commonName: node.commonName,
    interfaceImport: node.importInterface,
    ...judged.summary,
    // The summary's Hinweis column carries the window too, after an import note.
    ...(maintenanceNote === undefined
      ? {}
      : { note: [judged.summary.note, maintenanceNote].filter((text) => text !== '').join('; ') }),
  };
  return { view, summary, heatmap };
}

interface HeatmapWindow {
  /** First and last UTC day, `YYYY-MM-DD`. */
  first: string;
  last: string;
}

/** The heatmap's 42 days, ending today (UTC). */
function heatmapWindow(now: Date): HeatmapWindow {
  const first = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (HEATMAP_DAYS - 1)),
  );
  return { first: utcDay(first), last: utcDay(now) };
}

/**
 * The window's days of a node, oldest first. Rows are in time order, so only the tail is read
 * (a year of rows would mean parsing hundreds of dates per node for 42 cells).
 */
function heatmapRow(nodeName: string, history: NodeHistory, window: HeatmapWindow): HeatmapInputRow {
  const days: { date: string; dailyErrorRate: string }[] = [];
  for (const rows of [history.thisYear, history.lastYear]) {
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i] as StatsRow;
      const date = utcDateTime(row.date).slice(0, 10);
      if (date < window.first) break;
      if (date <= window.last) days.push({ date, dailyErrorRate: row.daily_error_rate });
    }
  }
  return { nodeName, days: days.reverse() };
}

/** The UTC calendar day of an instant, `YYYY-MM-DD`; the heatmap's last day is today's. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
