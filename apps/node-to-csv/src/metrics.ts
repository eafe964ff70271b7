/*
 * The collector's figures per node for the textfile: the broker's last contact for every node it
 * lists, and for each node collected today's stats row (DWH start, last write, the day's counts
 * and error rate) and the kinds of answer the broker gave (304 = unchanged since the last run).
 */
import type { StatsRow } from '@broker-monitor/csv-store';
import { instantOfTimestamp } from '@broker-monitor/csv-store/formats';
import { gauge, type Labels, type MetricFamily, timestampSeconds } from '@broker-monitor/metrics';

export interface NodeFigures {
  id: string;
  /** The broker's last-contact text; absent when the node never connected. */
  lastContact?: string | undefined;
  /** Today's stats row as written; absent when the node failed or has no stats (404). */
  statsRow?: StatsRow | undefined;
  /** Absent when the node failed. */
  answers?: { fresh: number; notModified: number; notFound: number } | undefined;
}

const DAILY_COUNTS = [
  ['imported', 'daily_imported'],
  ['updated', 'daily_updated'],
  ['invalid', 'daily_invalid'],
  ['failed', 'daily_failed'],
] as const;

/** The per-node families; `names` (node id → COMMON_NAME) adds the `name` label where the mapping has the node. */
export function collectorFamilies(
  nodes: readonly NodeFigures[],
  names: ReadonlyMap<string, string>,
): MetricFamily[] {
  const labelsOf = (id: string): Labels => {
    const name = names.get(id);
    return name === undefined ? { node: id } : { node: id, name };
  };
  const perNode = (value: (node: NodeFigures) => number | undefined) =>
    nodes.map((node) => ({ labels: labelsOf(node.id), value: value(node) }));
  const rowTime = (column: 'last_start' | 'last_write') => (node: NodeFigures) =>
    timestampOf(node.statsRow?.[column]);
  return [
    gauge(
      'broker_monitor_node_last_contact_timestamp_seconds',
      "Unix time of the node's last contact with the broker.",
      perNode((node) => timestampOf(node.lastContact)),
    ),
    gauge(
      'broker_monitor_node_last_write_timestamp_seconds',
      "Unix time the node's DWH last wrote imported data (its import statistics' last-write).",
      perNode(rowTime('last_write')),
    ),
    gauge(
      'broker_monitor_node_dwh_start_timestamp_seconds',
      "Unix time the node's DWH started (its import statistics' start).",
      perNode(rowTime('last_start')),
    ),
    gauge(
      'broker_monitor_node_daily_records',
      "Records the node's DWH handled since yesterday's run, per result (imported, updated, invalid, failed).",
      nodes.flatMap((node) =>
        DAILY_COUNTS.map(([result, column]) => ({
          labels: { ...labelsOf(node.id), result },
          value: numberOf(node.statsRow?.[column]),
        })),
      ),
    ),
    gauge(
      'broker_monitor_node_daily_error_ratio',
      "Share of the day's records that were invalid or failed (0–1; the page's daily error rate / 100).",
      perNode((node) => {
        const percent = numberOf(node.statsRow?.daily_error_rate);
        return percent === undefined ? undefined : percent / 100;
      }),
    ),
    gauge(
      'broker_monitor_node_broker_answers',
      'Answers of the broker to the requests for the node in the last run, per answer (fresh, not_modified = 304, not_found = 404).',
      nodes.flatMap((node) =>
        node.answers === undefined
          ? []
          : [
              { labels: { ...labelsOf(node.id), answer: 'fresh' }, value: node.answers.fresh },
              { labels: { ...labelsOf(node.id), answer: 'not_modified' }, value: node.answers.notModified },
              { labels: { ...labelsOf(node.id), answer: 'not_found' }, value: node.answers.notFound },
            ],
      ),
    ),
  ];
}

/** A stored timestamp (`-` when absent) in Unix seconds. */
function timestampOf(text: string | undefined): number | undefined {
  const instant = text === undefined ? undefined : instantOfTimestamp(text);
  return instant === undefined ? undefined : timestampSeconds(instant);
}

/** A stored number (`-` when there is none, e.g. no row of yesterday to take the difference to). */
function numberOf(text: string | undefined): number | undefined {
  if (text === undefined || text === '-') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
