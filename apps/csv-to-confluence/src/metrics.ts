/*
 * The reporter's figures per node for the textfile: the status it judged (a state set over every
 * status, so that `== 1` on one status finds the nodes in it and the others show 0) and the DWH
 * version the node reports, as an info metric.
 */
import type { MappedNode } from '@broker-monitor/config';
import { info, type MetricFamily, stateSet } from '@broker-monitor/metrics';
import { NODE_STATUS_TITLES } from '@broker-monitor/status-rules';

export interface JudgedNode {
  node: Pick<MappedNode, 'id' | 'commonName'>;
  /** One of NODE_STATUS_TITLES. */
  status: string;
  /** The page's dwh-j2ee value, e.g. `dwh-j2ee-1.5.1`; `-` when the node reports none. */
  dwhJ2ee: string;
}

export function reporterFamilies(judged: readonly JudgedNode[]): MetricFamily[] {
  const labelsOf = ({ node }: JudgedNode) => ({ node: node.id, name: node.commonName });
  return [
    stateSet(
      'broker_monitor_node_status',
      "The node's status as the reporter judged it: 1 for its status, 0 for the others.",
      'status',
      NODE_STATUS_TITLES,
      judged.map((entry) => ({ labels: labelsOf(entry), state: entry.status })),
    ),
    info(
      'broker_monitor_node_dwh_info',
      'The DWH version the node reports (dwh-j2ee without its prefix).',
      judged
        .filter((entry) => entry.dwhJ2ee !== '-' && entry.dwhJ2ee !== '')
        .map((entry) => ({ ...labelsOf(entry), version: entry.dwhJ2ee.replace(/^dwh-j2ee-/, '') })),
    ),
  ];
}
