/*
 * A node's status day by day, and what the pages say of it: availability over 30 and 365 days
 * and an unusual drop of today's imports. Each day is judged with the reporter's own rules on
 * the history as it stood at the end of that day.
 */
import type { StatsRow } from '@broker-monitor/csv-store';
import { parsePythonFloat } from './python-format.js';
import {
  MIN_ROWS_WITHOUT_PREVIOUS_YEAR,
  type NodeStatusTitle,
  type PreparedRows,
  prepareRows,
  type StatusOptions,
  statusOfPrefix,
} from './status.js';

const DAY_MS = 86_400_000;

/** A node's status at the end of one UTC day; `undefined` before its first stats row. */
export interface DayStatus {
  /** `YYYY-MM-DD`, UTC (the stats CSV holds a row per UTC day). */
  readonly day: string;
  readonly status: NodeStatusTitle | undefined;
}

/** One day of the history chart; `null` where the day has no row or the value is `-`. */
export interface HistoryDay {
  /** `YYYY-MM-DD`, UTC */
  readonly day: string;
  /** daily_imported + daily_updated */
  readonly imports: number | null;
  /** daily_error_rate in percent */
  readonly errorRate: number | null;
  /** The DWH was started since the row before (its last_start changed). */
  readonly restart: boolean;
}

/** A node's last days: its status at the end of each and its figures for the chart, oldest first. */
export interface DailyHistory {
  readonly statuses: DayStatus[];
  readonly days: HistoryDay[];
}

/**
 * The node's status at the end of each of the last `days` UTC days, oldest first; today's at
 * `now`. The history of a day in this year is this year's rows up to its end, after last year's
 * while there are fewer than 3 (as the reporter judges); of a day in last year, last year's rows
 * up to its end. Rows are in time order, as the collector writes them. A day whose rows cannot be
 * judged (a malformed field) has no status. The chart's figures of a day are those of its last row.
 */
export function dailyHistory(
  history: { readonly thisYear: readonly StatsRow[]; readonly lastYear: readonly StatsRow[] },
  rules: StatusOptions,
  now: Date,
  days: number,
): DailyHistory {
  const year = now.getUTCFullYear();
  const lastYearRows = history.lastYear.length;
  const all = prepareRows([...history.lastYear, ...history.thisYear]);
  // Last year's rows, and last year's before this year's first ones, are judged from row 0 on.
  const fromLastYear = all.view(0);
  const thisYearAlone = all.view(lastYearRows);
  const texts = new Map<string, number>();
  const today = Date.UTC(year, now.getUTCMonth(), now.getUTCDate());
  const statuses: DayStatus[] = [];
  let rowsOfLastYear = 0;
  let rowsOfThisYear = 0;
  for (let age = days - 1; age >= 0; age--) {
    const start = today - age * DAY_MS;
    const endMicros = age === 0 ? now.getTime() * 1000 : (start + DAY_MS) * 1000 - 1;
    const day = new Date(start).toISOString().slice(0, 10);
    try {
      rowsOfLastYear = rowsUntil(all, rowsOfLastYear, lastYearRows, endMicros);
      rowsOfThisYear =
        rowsUntil(all, lastYearRows + rowsOfThisYear, all.rows.length, endMicros) - lastYearRows;
      let judged = fromLastYear;
      let length = rowsOfLastYear;
      if (new Date(start).getUTCFullYear() === year && rowsOfThisYear > 0) {
        const alone = rowsOfThisYear >= MIN_ROWS_WITHOUT_PREVIOUS_YEAR;
        judged = alone ? thisYearAlone : fromLastYear;
        length = alone ? rowsOfThisYear : lastYearRows + rowsOfThisYear;
      }
      const status = length === 0 ? undefined : statusOfPrefix(judged, length, endMicros, rules, texts).title;
      statuses.push({ day, status });
    } catch {
      statuses.push({ day, status: undefined });
    }
  }
  return { statuses, days: chartDays(all, statuses) };
}

/** How many rows before `end` (counted from `from`, which are known to be earlier) are dated up to `endMicros`. */
function rowsUntil(prepared: PreparedRows, from: number, end: number, endMicros: number): number {
  let count = from;
  while (count < end && prepared.dateMicros(count) <= endMicros) count++;
  return count;
}

/** The chart's days: each day's last row (a second run replaces the day's row), where its date can be read. */
function chartDays(all: PreparedRows, statuses: readonly DayStatus[]): HistoryDay[] {
  const first = statuses[0];
  if (first === undefined) return [];
  const firstDay = Date.parse(`${first.day}T00:00:00Z`) / DAY_MS;
  const byDay: (HistoryDay | undefined)[] = new Array(statuses.length);
  let previousStart: string | undefined;
  all.rows.forEach((row, index) => {
    const restart = previousStart !== undefined && row.last_start !== previousStart && row.last_start !== '-';
    previousStart = row.last_start;
    let offset: number;
    try {
      offset = Math.floor(all.dateMicros(index) / 1000 / DAY_MS) - firstDay;
    } catch {
      return;
    }
    if (offset < 0 || offset >= statuses.length) return;
    const day = (statuses[offset] as DayStatus).day;
    byDay[offset] = {
      day,
      imports: sumOf(row.daily_imported, row.daily_updated),
      errorRate: numberOf(row.daily_error_rate),
      restart,
    };
  });
  return statuses.map(
    ({ day }, offset) => byDay[offset] ?? { day, imports: null, errorRate: null, restart: false },
  );
}

function numberOf(text: string): number | null {
  if (text === '-' || text === '') return null;
  try {
    const value = parsePythonFloat(text);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

function sumOf(a: string, b: string): number | null {
  const x = numberOf(a);
  const y = numberOf(b);
  return x === null || y === null ? null : x + y;
}

/** The statuses that count as available; OFFLINE and NO IMPORTS count against it. */
const AVAILABLE: ReadonlySet<NodeStatusTitle> = new Set<NodeStatusTitle>([
  'ONLINE',
  'LOW ERROR RATE',
  'HIGH ERROR RATE',
  'EXTREME ERROR RATE',
]);
const UNAVAILABLE: ReadonlySet<NodeStatusTitle> = new Set<NodeStatusTitle>(['OFFLINE', 'NO IMPORTS']);

/** Availability over a window: the share of counted days, and how many days were counted. */
export interface Availability {
  /** Available days / counted days; undefined when no day counts. */
  readonly share: number | undefined;
  /** Days ONLINE or at an error-rate level, or OFFLINE or NO IMPORTS; not TESTING, GAP IN MONITORING or before the first row. */
  readonly countedDays: number;
}

/** Availability over the last `days` of the day statuses (oldest first). */
export function availability(statuses: readonly DayStatus[], days: number): Availability {
  let available = 0;
  let counted = 0;
  for (const { status } of statuses.slice(-days)) {
    if (status === undefined) continue;
    if (AVAILABLE.has(status)) {
      available++;
      counted++;
    } else if (UNAVAILABLE.has(status)) counted++;
  }
  return { share: counted === 0 ? undefined : available / counted, countedDays: counted };
}

/** Days with imports whose median is the node's normal. */
export const DROP_WINDOW_DAYS = 28;
/** A median below this says too little to call a day unusual. */
export const DROP_MIN_MEDIAN = 20;
/** Days with imports needed before a drop is called: a node's first week says nothing yet. */
export const DROP_MIN_DAYS = 7;

/** Today's imports far below the node's own normal. */
export interface ImportDrop {
  /** daily_imported + daily_updated of today's row. */
  readonly today: number;
  /** Median of the same over the last 28 rows with imports before today. */
  readonly usual: number;
}

/**
 * An unusual import drop: today's imports (daily_imported + daily_updated of the last row, which
 * must be of today, UTC) under a third of the median of the last 28 earlier rows with imports,
 * when there are at least 7 such rows and their median is at least 20. A note next to the status,
 * never a status. Rows with `-` or a negative sum (a DWH restart) are neither today's figure nor
 * part of the normal.
 */
export function importDrop(
  history: { readonly thisYear: readonly StatsRow[]; readonly lastYear: readonly StatsRow[] },
  now: Date,
): ImportDrop | undefined {
  const { thisYear, lastYear } = history;
  const rowAt = (i: number) =>
    (i >= lastYear.length ? thisYear[i - lastYear.length] : lastYear[i]) as StatsRow;
  const count = lastYear.length + thisYear.length;
  if (count === 0) return undefined;
  const last = rowAt(count - 1);
  if (!last.date.startsWith(now.toISOString().slice(0, 10))) return undefined;
  const today = importsOf(last);
  if (today === undefined) return undefined;
  const normal: number[] = [];
  for (let i = count - 2; i >= 0 && normal.length < DROP_WINDOW_DAYS; i--) {
    const imports = importsOf(rowAt(i));
    if (imports !== undefined && imports > 0) normal.push(imports);
  }
  if (normal.length < DROP_MIN_DAYS) return undefined;
  const usual = median(normal);
  return usual >= DROP_MIN_MEDIAN && today < usual / 3 ? { today, usual } : undefined;
}

function importsOf(row: StatsRow): number | undefined {
  if (row.daily_imported === '-' || row.daily_updated === '-') return undefined;
  try {
    const sum = parsePythonFloat(row.daily_imported) + parsePythonFloat(row.daily_updated);
    return Number.isFinite(sum) && sum >= 0 ? sum : undefined;
  } catch {
    return undefined;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
