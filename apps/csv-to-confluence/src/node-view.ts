import type { MappedNode } from '@broker-monitor/config';
import type { PageContacts } from '@broker-monitor/contacts';
import {
  RESOURCE_NAMES,
  type ResourceEntries,
  type ResourceName,
  readErrorRows,
  readResource,
  readStatsRows,
  type StatsRow,
} from '@broker-monitor/csv-store';
import type { HeatmapInputRow } from '@broker-monitor/heatmap';
import type { NodePageView, SummaryRowView } from '@broker-monitor/page-render';
import {
  type DailyValues,
  dailyValues,
  needsPreviousYear,
  nodeStatus,
  onlineSince,
  type PageDates,
  pageDates,
  pageErrors,
  resourceList,
  statusHistory,
  todaysTotals,
  utcDateTime,
  versionValues,
  type WeeklyMeans,
  weeklyMeans,
} from '@broker-monitor/status-rules';

/** What one node contributes to a run: its page, its summary row and (unless TESTING) its heatmap row. */
export interface NodeReport {
  view: NodePageView;
  summary: SummaryRowView;
  /** Undefined for TESTING nodes, which the heatmap leaves out (SPEC §3). */
  heatmap: HeatmapInputRow | undefined;
}

/**
 * Days of the heatmap, as `HEATMAP_DAYS` of @broker-monitor/heatmap (a test holds them equal).
 * Not imported from there: Vega loads with it, and the report loads it only once the pages are
 * written, to keep the peak memory down.
 */
export const HEATMAP_WINDOW_DAYS = 42;

/** A node folder without a single stats row: no page yet (SPEC §6, a warning). */
export const NO_STATS = 'no-stats';

/**
 * Reads a node's store files and computes everything its page shows at `now`. The status history
 * prepends last year's rows when this year has fewer than 3; the heatmap needs last year's rows
 * too while its 42-day window reaches back into it.
 * @throws a store or rules error when a file is broken (that node fails, the others go on).
 */
export async function readNodeReport(
  workingDir: string,
  node: MappedNode,
  contacts: PageContacts,
  now: Date,
): Promise<NodeReport | typeof NO_STATS> {
  const year = now.getUTCFullYear();
  const window = heatmapWindow(now);
  const thisYear = (await readStatsRows(workingDir, node.id, year)) ?? [];
  const lastYear =
    needsPreviousYear(thisYear) || Number(window.first.slice(0, 4)) < year
      ? await readStatsRows(workingDir, node.id, year - 1)
      : undefined;
  // A year of rows per node is most of what a run allocates: they are reduced to the page's
  // figures before the next await, so that with many nodes in flight they die young instead of
  // filling the old generation (see bench/report-bench.mjs).
  const figures = statsFigures(node, thisYear, lastYear, window, now);
  if (figures === NO_STATS) return NO_STATS;
  const [errors, resources] = await Promise.all([
    readErrorRows(workingDir, node.id, year),
    readResources(workingDir, node.id),
  ]);
  const versions = versionValues(resources.versions);
  const { status, dates, means, daily } = figures;
  const view: NodePageView = {
    nodeId: node.id,
    commonName: node.commonName,
    clinicName: node.longName,
    informationSystem: node.hospitalInformationSystem,
    interfaceImport: node.importInterface,
    root: node.root,
    format: node.format,
    status,
    lastCheck: dates.last_check,
    lastContact: dates.last_contact,
    lastStart: dates.last_start,
    lastWrite: dates.last_write,
    lastReject: dates.last_reject,
    means: {
      imported: means.imported,
      updated: means.updated,
      invalid: means.invalid,
      failed: means.failed,
      errorRate: means.error_rate,
    },
    daily: {
      imported: daily.daily_imported,
      updated: daily.daily_updated,
      invalid: daily.daily_invalid,
      failed: daily.daily_failed,
      errorRate: daily.daily_error_rate,
    },
    errors: pageErrors(errors ?? []),
    resources: {
      os: versions.os,
      kernel: versions.kernel,
      java: versions.java,
      j2eeImpl: versions['j2ee-impl'],
      apache2: versions.apache2,
      postgres: versions.postgres,
      dwhApi: versions['dwh-api'],
      dwhJ2ee: versions['dwh-j2ee'],
      rscript: resourceList(resources.rscript),
      python: resourceList(resources.python),
      importScripts: resourceList(resources['import-scripts']),
    },
    contacts,
    jiraLabels: node.jiraLabels,
    onlineSince: figures.onlineSince,
  };
  const totals = todaysTotals(daily);
  const summary: SummaryRowView = {
    nodeId: node.id,
    commonName: node.commonName,
    interfaceImport: node.importInterface,
    lastCheck: dates.last_check,
    status,
    importsToday: totals.imports,
    errorsToday: totals.errors,
    errorRateToday: daily.daily_error_rate,
    errorRate7d: means.error_rate,
  };
  return { view, summary, heatmap: figures.heatmap };
}

interface StatsFigures {
  status: NodePageView['status'];
  dates: PageDates;
  means: WeeklyMeans;
  daily: DailyValues;
  onlineSince: string;
  heatmap: HeatmapInputRow | undefined;
}

interface HeatmapWindow {
  /** First and last UTC day, `YYYY-MM-DD`. */
  first: string;
  last: string;
}

/** The heatmap's 42 days, ending today (UTC). */
function heatmapWindow(now: Date): HeatmapWindow {
  const first = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (HEATMAP_WINDOW_DAYS - 1)),
  );
  return { first: utcDay(first), last: utcDay(now) };
}

/** Everything the page needs from the stats rows; page values from this year's rows (SPEC §3). */
function statsFigures(
  node: MappedNode,
  thisYear: readonly StatsRow[],
  lastYear: readonly StatsRow[] | undefined,
  window: HeatmapWindow,
  now: Date,
): StatsFigures | typeof NO_STATS {
  // Early in January, before the collector wrote this year's first row, the page shows last year's.
  const pageRows = thisYear.length > 0 ? thisYear : (lastYear ?? []);
  const lastRow = pageRows.at(-1);
  const firstRow = pageRows[0];
  if (lastRow === undefined || firstRow === undefined) return NO_STATS;
  const { status, color } = nodeStatus(statusHistory(thisYear, lastYear), now, {
    thresholdHoursFailure: node.thresholdHoursFailure,
    consecutiveImportDays: node.consecutiveImportDays,
  });
  return {
    status: { title: status, color },
    dates: pageDates(lastRow),
    means: weeklyMeans(pageRows),
    daily: dailyValues(lastRow),
    onlineSince: onlineSince(firstRow),
    heatmap: status === 'TESTING' ? undefined : heatmapRow(node.commonName, lastYear ?? [], thisYear, window),
  };
}

async function readResources(
  workingDir: string,
  nodeId: string,
): Promise<Record<ResourceName, ResourceEntries | undefined>> {
  const entries = await Promise.all(RESOURCE_NAMES.map((name) => readResource(workingDir, nodeId, name)));
  return Object.fromEntries(RESOURCE_NAMES.map((name, i) => [name, entries[i]])) as Record<
    ResourceName,
    ResourceEntries | undefined
  >;
}

/**
 * The window's days of a node, oldest first. Rows are in time order, so only the tail is read
 * (a year of rows would mean parsing hundreds of dates per node for 42 cells).
 */
function heatmapRow(
  nodeName: string,
  lastYear: readonly StatsRow[],
  thisYear: readonly StatsRow[],
  window: HeatmapWindow,
): HeatmapInputRow {
  const days: { date: string; dailyErrorRate: string }[] = [];
  for (const rows of [thisYear, lastYear]) {
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
