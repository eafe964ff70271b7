import type { StatsRow } from '@broker-monitor/csv-store';
import { hoursBetween, isAbsent } from './dates.js';
import { EmptyHistoryError } from './errors.js';
import { parsePythonFloat } from './python-format.js';

/** Colour of each status in Confluence's status macro, in the order the rules are tried. */
export const STATUS_COLORS = {
  'GAP IN MONITORING': 'Red',
  TESTING: 'Blue',
  OFFLINE: 'Red',
  'NO IMPORTS': 'Red',
  'EXTREME ERROR RATE': 'Red',
  'HIGH ERROR RATE': 'Yellow',
  'LOW ERROR RATE': 'Yellow',
  ONLINE: 'Green',
} as const;

export type NodeStatusTitle = keyof typeof STATUS_COLORS;
export type StatusColor = (typeof STATUS_COLORS)[NodeStatusTitle];

/** A status as the status macro shows it: its title and colour. */
export interface NodeStatus {
  readonly title: NodeStatusTitle;
  readonly color: StatusColor;
}

export interface StatusOptions {
  /** Mapping THRESHOLD_HOURS_FAILURE; absent or 0 → 72. */
  readonly thresholdHoursFailure?: number | undefined;
  /** Mapping CONSECUTIVE_IMPORT_DAYS; absent or 0 → 3. */
  readonly consecutiveImportDays?: number | undefined;
}

export const DEFAULT_THRESHOLD_HOURS_FAILURE = 72;
export const DEFAULT_CONSECUTIVE_IMPORT_DAYS = 3;
/** Fewer rows than this in the current year's CSV → last year's rows are prepended (fixed, not per node). */
export const MIN_ROWS_WITHOUT_PREVIOUS_YEAR = 3;

/** Whether the status history needs last year's CSV (the current one has fewer than 3 rows). */
export function needsPreviousYear(currentYear: readonly StatsRow[]): boolean {
  return currentYear.length < MIN_ROWS_WITHOUT_PREVIOUS_YEAR;
}

/** The history the status is evaluated on: the current year, after the whole previous year when needed. */
export function statusHistory(
  currentYear: readonly StatsRow[],
  previousYear: readonly StatsRow[] | undefined,
): StatsRow[] {
  if (previousYear === undefined || !needsPreviousYear(currentYear)) return [...currentYear];
  return [...previousYear, ...currentYear];
}

/**
 * The node status of SPEC §3 at time `now`; the first rule that holds wins.
 * @throws EmptyHistoryError without rows, InvalidTimestampError / InvalidNumberError on a malformed field.
 */
export function nodeStatus(history: readonly StatsRow[], now: Date, options: StatusOptions = {}): NodeStatus {
  const last = history.at(-1);
  if (last === undefined) throw new EmptyHistoryError();
  // A 0 in the mapping means "use the default", as in the original.
  const threshold = options.thresholdHoursFailure || DEFAULT_THRESHOLD_HOURS_FAILURE;
  const importDays = options.consecutiveImportDays || DEFAULT_CONSECUTIVE_IMPORT_DAYS;
  if (hasGapInMonitoring(history, now)) return withColor('GAP IN MONITORING');
  if (isTesting(history, importDays)) return withColor('TESTING');
  if (isAbsent(last.last_contact) || hoursBetween(last.last_contact, now) > threshold) {
    return withColor('OFFLINE');
  }
  const lastWrite = lastKnownWrite(history);
  if (lastWrite !== undefined && hoursBetween(lastWrite, now) > threshold) return withColor('NO IMPORTS');
  const errorRate = isAbsent(last.daily_error_rate) ? Number.NaN : parsePythonFloat(last.daily_error_rate);
  if (errorRate >= 10) return withColor('EXTREME ERROR RATE');
  if (errorRate >= 5) return withColor('HIGH ERROR RATE');
  if (errorRate >= 1) return withColor('LOW ERROR RATE');
  return withColor('ONLINE');
}

function withColor(title: NodeStatusTitle): NodeStatus {
  return { title, color: STATUS_COLORS[title] };
}

/** Only the last row against now and the last two rows against each other; older gaps are history. */
function hasGapInMonitoring(history: readonly StatsRow[], now: Date): boolean {
  const last = history.at(-1);
  const secondLast = history.at(-2);
  if (last === undefined) return false;
  if (hoursBetween(now, last.date) > 24) return true;
  return secondLast !== undefined && hoursBetween(secondLast.date, last.date) > 24;
}

/** Testing until some run of `days` consecutive rows imported something. */
function isTesting(history: readonly StatsRow[], days: number): boolean {
  if (history.length < days) return false;
  let run = 0;
  for (const row of history) {
    // The original replaces every '-' by '0': `-` becomes 0 and a negative delta positive.
    const text = row.daily_imported;
    const imported = text === '' ? Number.NaN : parsePythonFloat(text.replaceAll('-', '0'));
    run = imported > 0 ? run + 1 : 0;
    if (run === days) return false;
  }
  return true;
}

/** The last row's last_write, or the last one recorded before it; undefined if none was. */
export function lastKnownWrite(rows: readonly StatsRow[]): string | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const value = rows[i]?.last_write;
    if (value !== undefined && !isAbsent(value)) return value;
  }
  return undefined;
}
