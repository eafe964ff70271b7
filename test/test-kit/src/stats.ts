import { STATS_COLUMNS } from '@broker-monitor/csv-store';

/** The header line of a node's stats CSV, as the Python version writes it. */
export const STATS_HEADER = STATS_COLUMNS.join(';');
