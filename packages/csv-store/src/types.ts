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

/**
 * A counter as the broker gives it: the element text (parsed like Python's `int()`, so
 * ` 12`, `+5` and `1_000` are accepted as the original accepts them) or an already parsed number.
 */
export type Counter = string | number | bigint;

/** One `<error>` of `<last-errors>`: `repeats` absent (or `null`) when the attribute is absent. */
export interface BrokerImportError {
  timestamp: string;
  repeats?: string | null | undefined;
  content: string;
}

/**
 * The `<import-statistics>` document of a node. Text values are copied verbatim;
 * absent, `null` or an empty string means the element is absent or empty.
 */
export interface ImportStatistics {
  start?: string | null | undefined;
  lastWrite?: string | null | undefined;
  lastReject?: string | null | undefined;
  imported: Counter;
  updated: Counter;
  invalid: Counter;
  failed: Counter;
  /** The `<last-errors>` in document order (the DWH keeps at most 20). */
  errors: readonly BrokerImportError[];
}

/** Everything fetched for one node in one run, as `writeNodeCollection` stores it. */
export interface NodeCollection {
  /** The broker's node id; only digits are accepted. */
  nodeId: string;
  /** The broker's last-contact text; absent/`null`/empty when the node never connected (stored as `-`). */
  lastContact?: string | null | undefined;
  /** `null` when the broker answered 404 (the node never uploaded stats): no stats or error row is written. */
  stats: ImportStatistics | null;
  /** Every resource's entries; `null` when the broker answered 404 (stored as `{}`). */
  resources: Readonly<Record<ResourceName, ResourceEntries | null>>;
}
