import {
  type ErrorRow,
  formatTwoDecimals,
  type ResourceEntries,
  type ResourceName,
  type StatsRow,
} from '@broker-monitor/csv-store';
import { berlinDateTime, berlinDay, utcDateTime } from './dates.js';
import { parsePythonFloat, pythonFloatRepr, roundTo2 } from './python-format.js';

/**
 * Import figures of one day or the 7-day means as the page shows them (`2000`, `1000.00`, `-`),
 * named by their daily_* column without the prefix.
 */
export interface ImportFigures {
  readonly imported: string;
  readonly updated: string;
  readonly invalid: string;
  readonly failed: string;
  readonly errorRate: string;
}

/** The stats column behind each figure. */
const FIGURE_COLUMNS = {
  imported: 'daily_imported',
  updated: 'daily_updated',
  invalid: 'daily_invalid',
  failed: 'daily_failed',
  errorRate: 'daily_error_rate',
} as const satisfies Record<keyof ImportFigures, keyof StatsRow>;

type Figure = keyof typeof FIGURE_COLUMNS;

/** Rows taken for the means: the last seven. */
export const MEAN_DAYS = 7;

/**
 * Mean of each daily_* column over the last min(7, n) rows of the CURRENT year's CSV
 * (never last year's): sum of the values that are not `-`, divided by the number of rows
 * taken; all `-` (or no rows) → `-`; formatted like Python's `f'{x:.2f}'`.
 */
export function weeklyMeans(currentYear: readonly StatsRow[]): ImportFigures {
  const lastWeek = currentYear.slice(-MEAN_DAYS);
  const means: Record<Figure, string> = {
    imported: '-',
    updated: '-',
    invalid: '-',
    failed: '-',
    errorRate: '-',
  };
  for (const figure of Object.keys(FIGURE_COLUMNS) as Figure[]) {
    means[figure] = meanOf(lastWeek.map((row) => row[FIGURE_COLUMNS[figure]]));
  }
  return means;
}

function meanOf(values: readonly string[]): string {
  const present = values.filter((value) => value !== '-');
  if (present.length === 0) return '-';
  // Summed left to right from 0 like pandas for fewer than 8 values; an empty field is NaN there and skipped.
  let sum = 0;
  for (const value of present) if (value !== '') sum += parsePythonFloat(value);
  return formatTwoDecimals(sum / values.length);
}

/** The last row's daily_* texts, verbatim (`50.0`, `2000`, `-`). */
export function dailyFigures(lastRow: StatsRow): ImportFigures {
  return {
    imported: lastRow.daily_imported,
    updated: lastRow.daily_updated,
    invalid: lastRow.daily_invalid,
    failed: lastRow.daily_failed,
    errorRate: lastRow.daily_error_rate,
  };
}

/** The last row's dates in Europe/Berlin as `YYYY-MM-DD HH:MM:SS` (`-` stays `-`). */
export interface PageDates {
  /** The row's `date`: when the collector last ran. */
  readonly lastCheck: string;
  readonly lastContact: string;
  readonly lastStart: string;
  readonly lastWrite: string;
  readonly lastReject: string;
}

export function pageDates(lastRow: StatsRow): PageDates {
  return {
    lastCheck: berlinDateTime(lastRow.date),
    lastContact: berlinDateTime(lastRow.last_contact),
    lastStart: berlinDateTime(lastRow.last_start),
    lastWrite: berlinDateTime(lastRow.last_write),
    lastReject: berlinDateTime(lastRow.last_reject),
  };
}

/** `YYYY-MM-DD` (Europe/Berlin) of the first row of the current year's CSV, written once to a new page. */
export function onlineSince(firstRowOfCurrentYear: StatsRow): string {
  return berlinDay(firstRowOfCurrentYear.date);
}

/**
 * A summary cell: `str(round(float(a) + float(b), 2))` — `8.0`, `2.5`; one `-` counts 0, both `-` → `-`.
 */
export function summarySum(a: string, b: string): string {
  if (a === '-' && b === '-') return '-';
  const value = (text: string) => (text === '-' ? 0 : parsePythonFloat(text));
  return pythonFloatRepr(roundTo2(value(a) + value(b)));
}

export interface TodaysTotals {
  /** daily_imported + daily_updated */
  readonly imports: string;
  /** daily_invalid + daily_failed */
  readonly errors: string;
}

/** The summary's "Imports heute" and "Fehler heute" of one node. */
export function todaysTotals(lastRow: StatsRow): TodaysTotals {
  return {
    imports: summarySum(lastRow.daily_imported, lastRow.daily_updated),
    errors: summarySum(lastRow.daily_invalid, lastRow.daily_failed),
  };
}

/** Error rows shown on the page: the newest 20 as stored (the file is sorted newest first). */
export const PAGE_ERROR_ROWS = 20;

/** The first 20 rows of the current year's error CSV, timestamps shown as UTC `YYYY-MM-DD HH:MM:SS`. */
export function pageErrors(currentYearErrors: readonly ErrorRow[]): ErrorRow[] {
  return currentYearErrors
    .slice(0, PAGE_ERROR_ROWS)
    .map((error) => ({ ...error, timestamp: utcDateTime(error.timestamp) }));
}

/** The `versions` keys shown on the page, in page order. */
export const VERSION_KEYS = [
  'os',
  'kernel',
  'java',
  'j2ee-impl',
  'apache2',
  'postgres',
  'dwh-api',
  'dwh-j2ee',
] as const;
export type VersionKey = (typeof VERSION_KEYS)[number];

/** A resource value for the page: missing resource, missing key or empty value → `-`. */
export function resourceValue(entries: ResourceEntries | undefined, key: string): string {
  let value: string | undefined;
  // A JSON object keeps the last of duplicate keys.
  for (const [k, v] of entries ?? []) if (k === key) value = v;
  return value === undefined || value === '' ? '-' : value;
}

/** The page's versions fields (os … dwh-j2ee), each per {@link resourceValue}. */
export function versionValues(entries: ResourceEntries | undefined): Record<VersionKey, string> {
  const values = {} as Record<VersionKey, string>;
  for (const key of VERSION_KEYS) values[key] = resourceValue(entries, key);
  return values;
}

/** The resources whose entries the page lists as `key (value), …`, in page order. */
export const SCRIPT_RESOURCES = ['rscript', 'python', 'import-scripts'] as const;
export type ScriptResource = (typeof SCRIPT_RESOURCES)[number];

/** What the page shows of a node's resources, keyed as the resources and their keys are named. */
export interface PageResources {
  readonly versions: Readonly<Record<VersionKey, string>>;
  readonly scripts: Readonly<Record<ScriptResource, string>>;
}

/** The page's resource fields; a missing resource shows `-` everywhere. */
export function pageResources(
  resources: Readonly<Partial<Record<ResourceName, ResourceEntries | undefined>>>,
): PageResources {
  const scripts = {} as Record<ScriptResource, string>;
  for (const name of SCRIPT_RESOURCES) scripts[name] = resourceList(resources[name]);
  return { versions: versionValues(resources.versions), scripts };
}

/** rscript / python / import-scripts as `key (value), key (value)`; empty value → `-`; missing or `{}` → `-`. */
export function resourceList(entries: ResourceEntries | undefined): string {
  // A JSON object keeps the first position and the last value of duplicate keys.
  const unique = new Map(entries);
  if (unique.size === 0) return '-';
  return [...unique].map(([key, value]) => `${key} (${value === '' ? '-' : value})`).join(', ');
}
