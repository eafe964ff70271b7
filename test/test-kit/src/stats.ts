import { STATS_COLUMNS } from '@broker-monitor/csv-store';

/** The header line of `<id>_stats_<year>.csv`, as the Python version writes it. */
export const STATS_HEADER = STATS_COLUMNS.join(';');
