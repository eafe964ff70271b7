/** The columns of `<id>_stats_<year>.csv`, in file order. */
export const STATS_COLUMNS = [
  'date',
  'last_contact',
  'last_start',
  'last_write',
  'last_reject',
  'imported',
  'updated',
  'invalid',
  'failed',
  'error_rate',
  'daily_imported',
  'daily_updated',
  'daily_invalid',
  'daily_failed',
  'daily_error_rate',
] as const;

export type StatsColumn = (typeof STATS_COLUMNS)[number];

/**
 * One row of a stats CSV, every field exactly as the text stored in the file
 * (`-` for absent values), so that reports can show values verbatim as the original does.
 */
export type StatsRow = Record<StatsColumn, string>;

/** One row of `<id>_errors_<year>.csv`; `timestamp` is the broker's text, verbatim. */
export interface ErrorRow {
  timestamp: string;
  repeats: string;
  content: string;
}

/** The four node resources the broker keeps per node. */
export const RESOURCE_NAMES = ['versions', 'rscript', 'python', 'import-scripts'] as const;
export type ResourceName = (typeof RESOURCE_NAMES)[number];

/** A resource's entries in document order (keys may look like numbers, so no plain object). */
export type ResourceEntries = Array<readonly [key: string, value: string]>;
