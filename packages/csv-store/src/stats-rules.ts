/*
 * The rules of the stats CSV (one row per UTC day), as pure functions of their inputs and the clock.
 */
import { InvalidStatisticsError } from './errors.js';
import {
  divideIntegers,
  formatRunTime,
  formatTwoDecimals,
  formatUtcDay,
  parsePythonInt,
} from './python-format.js';
import { instantOfTimestamp } from './timestamp.js';
import type { Counter, ImportStatistics, StatsRow } from './types.js';

const ABSENT = '-';
const DAY_MS = 86_400_000;

/**
 * The error rate as the original writes it: (invalid + failed) / all · 100 with two decimals;
 * `100.0` when there are failures but no successes; `-` when there is nothing at all.
 * **[new]** `-` when the sum is zero otherwise (negative deltas cancelling out), where the
 * original divides by zero and aborts.
 */
export function formatErrorRate(imported: bigint, updated: bigint, invalid: bigint, failed: bigint): string {
  const successes = imported + updated;
  const failures = invalid + failed;
  if (failures > 0n && successes === 0n) return '100.0';
  if (failures === 0n && successes === 0n) return ABSENT;
  const total = successes + failures;
  if (total === 0n) return ABSENT;
  return formatTwoDecimals(divideIntegers(failures, total) * 100);
}

/**
 * Whether two DWH start times are the same start: equal to the second after converting both
 * to UTC (a start re-formatted with another offset or milliseconds is no restart).
 * Texts that are no timestamps (`-`, empty) never match.
 */
export function isSameDwhStart(previousStart: string, currentStart: string): boolean {
  const previous = instantOfTimestamp(previousStart);
  const current = instantOfTimestamp(currentStart);
  if (!previous || !current) return false;
  return Math.floor(previous.getTime() / 1000) === Math.floor(current.getTime() / 1000);
}

const COUNTER_FIELDS = ['imported', 'updated', 'invalid', 'failed'] as const;
type Counters = Record<(typeof COUNTER_FIELDS)[number], bigint>;

function readCounter(field: string, value: Counter): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return BigInt(value);
    throw new InvalidStatisticsError(field, String(value));
  }
  const parsed = parsePythonInt(value);
  if (parsed === undefined) throw new InvalidStatisticsError(field, value);
  return parsed;
}

/**
 * The first counter of a stored row that is neither an integer nor `-` (absent), with its text: a
 * file in which such a counter is read is broken, not a reason for `-` deltas.
 */
export function unreadableCounter(row: StatsRow): { column: string; value: string } | undefined {
  const column = COUNTER_FIELDS.find(
    (field) => row[field] !== ABSENT && parsePythonInt(row[field]) === undefined,
  );
  return column === undefined ? undefined : { column, value: row[column] };
}

function readRowCounters(row: StatsRow): Counters | undefined {
  const counters: Partial<Counters> = {};
  for (const field of COUNTER_FIELDS) {
    const value = parsePythonInt(row[field]);
    if (value === undefined) return undefined;
    counters[field] = value;
  }
  return counters as Counters;
}

const textOrAbsent = (text: string | null | undefined): string =>
  text === null || text === undefined || text === '' ? ABSENT : text;

export interface StatsRowInput {
  /** The broker's last-contact text; absent/empty → `-` (**[new]**: the original aborts or writes an empty cell). */
  lastContact?: string | null | undefined;
  stats: ImportStatistics;
  /** The row to compute daily deltas against: the last row before today's, if any. */
  previousRow: StatsRow | undefined;
  /** The run time. */
  now: Date;
}

/**
 * Today's stats row. Daily deltas are computed only when the previous row's `date[:10]` (its
 * text, not converted) is yesterday's UTC date and its last_start is the same DWH start;
 * otherwise all five daily values are `-`. Throws InvalidStatisticsError for counters that
 * are not integers. Previous rows whose counters are not integers give `-` deltas (the original aborts).
 */
export function buildStatsRow({ lastContact, stats, previousRow, now }: StatsRowInput): StatsRow {
  const counters: Counters = {
    imported: readCounter('imported', stats.imported),
    updated: readCounter('updated', stats.updated),
    invalid: readCounter('invalid', stats.invalid),
    failed: readCounter('failed', stats.failed),
  };
  const start = textOrAbsent(stats.start);
  const row: StatsRow = {
    date: formatRunTime(now),
    last_contact: textOrAbsent(lastContact),
    last_start: start,
    last_write: textOrAbsent(stats.lastWrite),
    last_reject: textOrAbsent(stats.lastReject),
    imported: counters.imported.toString(),
    updated: counters.updated.toString(),
    invalid: counters.invalid.toString(),
    failed: counters.failed.toString(),
    error_rate: formatErrorRate(counters.imported, counters.updated, counters.invalid, counters.failed),
    daily_imported: ABSENT,
    daily_updated: ABSENT,
    daily_invalid: ABSENT,
    daily_failed: ABSENT,
    daily_error_rate: ABSENT,
  };
  const yesterday = formatUtcDay(new Date(now.getTime() - DAY_MS));
  if (!previousRow || previousRow.date.slice(0, 10) !== yesterday) return row;
  if (!isSameDwhStart(previousRow.last_start, start)) return row;
  const previous = readRowCounters(previousRow);
  if (!previous) return row;
  const imported = counters.imported - previous.imported;
  const updated = counters.updated - previous.updated;
  const invalid = counters.invalid - previous.invalid;
  const failed = counters.failed - previous.failed;
  return {
    ...row,
    daily_imported: imported.toString(),
    daily_updated: updated.toString(),
    daily_invalid: invalid.toString(),
    daily_failed: failed.toString(),
    daily_error_rate: formatErrorRate(imported, updated, invalid, failed),
  };
}

/** Whether a row was written on the run time's UTC day (its date converted to UTC). */
export function isRowOfDay(row: StatsRow, now: Date): boolean {
  const date = instantOfTimestamp(row.date);
  return date !== undefined && formatUtcDay(date) === formatUtcDay(now);
}

export interface NextStatsRowsInput {
  /** The rows of the current UTC year's file (empty for a new file). */
  rows: readonly StatsRow[];
  /**
   * The last row of last year's file; used only when the current file has no row before
   * today's (see `needsPreviousYearRow`).
   */
  previousYearLastRow?: StatsRow | undefined;
  lastContact?: string | null | undefined;
  stats: ImportStatistics;
  now: Date;
}

/** Whether nextStatsRows will look at last year's last row for these rows. */
export function needsPreviousYearRow(rows: readonly StatsRow[], now: Date): boolean {
  const last = rows.at(-1);
  return last === undefined || (rows.length === 1 && isRowOfDay(last, now));
}

/** The row today's deltas are computed against, and where it is. */
export type DeltaBase =
  | { row: StatsRow; year: 'this'; index: number }
  | { row: StatsRow; year: 'last' }
  | undefined;

/**
 * The row before today's: the last row of the current year's file that is not of today (only
 * the last row can be), else last year's last row.
 */
export function deltaBaseRow(
  rows: readonly StatsRow[],
  previousYearLastRow: StatsRow | undefined,
  now: Date,
): DeltaBase {
  const last = rows.at(-1);
  const index = last !== undefined && isRowOfDay(last, now) ? rows.length - 2 : rows.length - 1;
  const row = rows[index];
  if (row !== undefined) return { row, year: 'this', index };
  return previousYearLastRow === undefined ? undefined : { row: previousYearLastRow, year: 'last' };
}

/**
 * The rows of the current year's file after this run: a row of today (the last row only)
 * is replaced, today's row is appended, deltas are computed against the row before it,
 * or against last year's last row when the file has none.
 */
export function nextStatsRows({
  rows,
  previousYearLastRow,
  lastContact,
  stats,
  now,
}: NextStatsRowsInput): StatsRow[] {
  const last = rows.at(-1);
  const kept = last !== undefined && isRowOfDay(last, now) ? rows.slice(0, -1) : [...rows];
  const previousRow = deltaBaseRow(rows, previousYearLastRow, now)?.row;
  kept.push(buildStatsRow({ lastContact, stats, previousRow, now }));
  return kept;
}
