import type { StatsRow } from '@broker-monitor/csv-store';
import { hoursBetweenMicros, isAbsent, parseTimestamp } from './dates.js';
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

/** Every status a node can have, in the order the rules are tried. */
export const NODE_STATUS_TITLES = Object.keys(STATUS_COLORS) as readonly NodeStatusTitle[];
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
  return statusOfPrefix(prepareRows(history).view(0), history.length, now.getTime() * 1000, options);
}

/**
 * Rows prepared for judging any prefix of them at any time: each field is parsed once, when a
 * rule first needs it, so judging every day of a year costs about as much as judging one day,
 * and a malformed field throws only where the status of the day needs it (as nodeStatus alone).
 * `view(from)` judges the rows from `from` on as a history of their own (this year without last
 * year's), sharing what was parsed.
 */
export interface PreparedRows {
  readonly rows: readonly StatsRow[];
  /** The row's `date` in microseconds since the epoch. */
  dateMicros(index: number): number;
  /** The rows from `from` on as a history of their own. */
  view(from: number): PreparedHistory;
}

/** A run of prepared rows judged as one history: indices count from its first row. */
export interface PreparedHistory {
  readonly rows: PreparedRows;
  readonly from: number;
  /** Whether its rows 0 … length − 1 hold `days` consecutive rows with imports. */
  hasImportRun(days: number, length: number): boolean;
}

export function prepareRows(rows: readonly StatsRow[]): PreparedRows {
  const dates = new Float64Array(rows.length).fill(Number.NaN);
  const prepared: PreparedRows = {
    rows,
    dateMicros(index) {
      let micros = dates[index] ?? Number.NaN;
      if (Number.isNaN(micros)) {
        micros = parseTimestamp((rows[index] as StatsRow).date).epochMicros;
        dates[index] = micros;
      }
      return micros;
    },
    view: (from) => preparedHistory(prepared, from),
  };
  return prepared;
}

function preparedHistory(prepared: PreparedRows, from: number): PreparedHistory {
  const { rows } = prepared;
  const runs = new Map<number, { scanned: number; run: number; found: boolean }>();
  return {
    rows: prepared,
    from,
    hasImportRun(days, length) {
      let state = runs.get(days);
      if (state === undefined) {
        state = { scanned: 0, run: 0, found: false };
        runs.set(days, state);
      }
      // Rows are scanned once, and not beyond the first run: a later malformed row never matters.
      while (!state.found && state.scanned < length) {
        const text = (rows[from + state.scanned] as StatsRow).daily_imported;
        // The original replaces every '-' by '0': `-` becomes 0 and a negative delta positive.
        const imported = text === '' ? Number.NaN : parsePythonFloat(text.replaceAll('-', '0'));
        state.run = imported > 0 ? state.run + 1 : 0;
        state.scanned++;
        if (state.run === days) state.found = true;
      }
      return state.found && state.scanned <= length;
    },
  };
}

/**
 * The status of the first `length` rows of a prepared history at `nowMicros`: nodeStatus of them.
 * `texts` caches the parsed last_contact and last_write texts across the calls of one node.
 * @throws as nodeStatus.
 */
export function statusOfPrefix(
  history: PreparedHistory,
  length: number,
  nowMicros: number,
  options: StatusOptions,
  texts: Map<string, number> = new Map(),
): NodeStatus {
  const { rows: prepared, from } = history;
  const { rows } = prepared;
  const last = rows[from + length - 1];
  if (last === undefined || length < 1) throw new EmptyHistoryError();
  // A 0 in the mapping means "use the default", as in the original.
  const threshold = options.thresholdHoursFailure || DEFAULT_THRESHOLD_HOURS_FAILURE;
  const importDays = options.consecutiveImportDays || DEFAULT_CONSECUTIVE_IMPORT_DAYS;
  // Only the last row against now and the last two rows against each other; older gaps are history.
  const lastDate = prepared.dateMicros(from + length - 1);
  if (hoursBetweenMicros(nowMicros, lastDate) > 24) return withColor('GAP IN MONITORING');
  if (length >= 2 && hoursBetweenMicros(prepared.dateMicros(from + length - 2), lastDate) > 24) {
    return withColor('GAP IN MONITORING');
  }
  // Testing until some run of `importDays` consecutive rows imported something.
  if (length >= importDays && !history.hasImportRun(importDays, length)) return withColor('TESTING');
  if (isAbsent(last.last_contact) || hoursSince(last.last_contact, nowMicros, texts) > threshold) {
    return withColor('OFFLINE');
  }
  const lastWrite = lastWriteBetween(rows, from, from + length);
  if (lastWrite !== undefined && hoursSince(lastWrite, nowMicros, texts) > threshold) {
    return withColor('NO IMPORTS');
  }
  const errorRate = isAbsent(last.daily_error_rate) ? Number.NaN : parsePythonFloat(last.daily_error_rate);
  if (errorRate >= 10) return withColor('EXTREME ERROR RATE');
  if (errorRate >= 5) return withColor('HIGH ERROR RATE');
  if (errorRate >= 1) return withColor('LOW ERROR RATE');
  return withColor('ONLINE');
}

function hoursSince(text: string, nowMicros: number, texts: Map<string, number>): number {
  let micros = texts.get(text);
  if (micros === undefined) {
    micros = parseTimestamp(text).epochMicros;
    texts.set(text, micros);
  }
  return hoursBetweenMicros(micros, nowMicros);
}

function withColor(title: NodeStatusTitle): NodeStatus {
  return { title, color: STATUS_COLORS[title] };
}

/** The last row's last_write, or the last one recorded before it; undefined if none was. */
export function lastKnownWrite(rows: readonly StatsRow[]): string | undefined {
  return lastWriteBetween(rows, 0, rows.length);
}

function lastWriteBetween(rows: readonly StatsRow[], from: number, to: number): string | undefined {
  for (let i = to - 1; i >= from; i--) {
    const value = rows[i]?.last_write;
    if (value !== undefined && !isAbsent(value)) return value;
  }
  return undefined;
}
