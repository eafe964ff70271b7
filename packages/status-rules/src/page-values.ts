import {
  type ErrorRow,
  formatTwoDecimals,
  type ResourceEntries,
  type StatsRow,
} from '@broker-monitor/csv-store';
import { berlinDateTime, berlinDay, utcDateTime } from './dates.js';
import { parsePythonFloat, pythonFloatRepr, roundTo2 } from './python-format.js';

/** The daily_* columns and the page classes their 7-day means go to. */
export const DAILY_COLUMNS = {
  daily_imported: 'imported',
  daily_updated: 'updated',
  daily_invalid: 'invalid',
  daily_failed: 'failed',
  daily_error_rate: 'error_rate',
} as const;

export type DailyColumn = keyof typeof DAILY_COLUMNS;
export type MeanField = (typeof DAILY_COLUMNS)[DailyColumn];
export type WeeklyMeans = Record<MeanField, string>;
export type DailyValues = Record<DailyColumn, string>;

/** Rows taken for the means: the last seven. */
export const MEAN_DAYS = 7;

/**
 * Mean of each daily_* column over the last min(7, n) rows of the CURRENT year's CSV
 * (never last year's): sum of the values that are not `-`, divided by the number of rows
 * taken; all `-` (or no rows) → `-`; formatted like Python's `f'{x:.2f}'`.
 */
export function weeklyMeans(currentYear: readonly StatsRow[]): WeeklyMeans {
  const lastWeek = currentYear.slice(-MEAN_DAYS);
  const means = {} as WeeklyMeans;
  for (const [column, field] of Object.entries(DAILY_COLUMNS) as Array<[DailyColumn, MeanField]>) {
    means[field] = meanOf(lastWeek.map((row) => row[column]));
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
export function dailyValues(lastRow: StatsRow): DailyValues {
  return {
    daily_imported: lastRow.daily_imported,
    daily_updated: lastRow.daily_updated,
    daily_invalid: lastRow.daily_invalid,
    daily_failed: lastRow.daily_failed,
    daily_error_rate: lastRow.daily_error_rate,
  };
}

export interface PageDates {
  readonly last_check: string;
  readonly last_contact: string;
  readonly last_start: string;
  readonly last_write: string;
  readonly last_reject: string;
}

/** The last row's dates in Europe/Berlin as `YYYY-MM-DD HH:MM:SS` (`-` stays `-`), keyed by page class. */
export function pageDates(lastRow: StatsRow): PageDates {
  return {
    last_check: berlinDateTime(lastRow.date),
    last_contact: berlinDateTime(lastRow.last_contact),
    last_start: berlinDateTime(lastRow.last_start),
    last_write: berlinDateTime(lastRow.last_write),
    last_reject: berlinDateTime(lastRow.last_reject),
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
export function todaysTotals(daily: DailyValues): TodaysTotals {
  return {
    imports: summarySum(daily.daily_imported, daily.daily_updated),
    errors: summarySum(daily.daily_invalid, daily.daily_failed),
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

/** rscript / python / import-scripts as `key (value), key (value)`; empty value → `-`; missing or `{}` → `-`. */
export function resourceList(entries: ResourceEntries | undefined): string {
  // A JSON object keeps the first position and the last value of duplicate keys.
  const unique = new Map(entries);
  if (unique.size === 0) return '-';
  return [...unique].map(([key, value]) => `${key} (${value === '' ? '-' : value})`).join(', ');
}
