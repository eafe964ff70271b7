/*
 * The one judgement of a node: its status and everything the page, the summary row and the mails
 * show of its stats history, in the words the templates use. The reporter and the e-mail service
 * both call it, so a mail never disagrees with its page.
 */
import type { StatsRow } from '@broker-monitor/csv-store';
import { InvalidNumberError, InvalidStatsFieldError, InvalidTimestampError } from './errors.js';
import {
  availability,
  type DayStatus,
  dailyHistory,
  type HistoryDay,
  type ImportDrop,
  importDrop,
} from './history.js';
import { noImportsMailDate, offlineMailDate } from './notify.js';
import {
  dailyFigures,
  type ImportFigures,
  onlineSince,
  type PageDates,
  pageDates,
  todaysTotals,
  weeklyMeans,
} from './page-values.js';
import {
  type NodeStatus,
  type NodeStatusTitle,
  nodeStatus,
  type StatusOptions,
  statusHistory,
} from './status.js';

/** A node's stats rows of the current UTC year and of the year before (`[]` where there are none). */
export interface StatsHistory {
  readonly thisYear: readonly StatsRow[];
  readonly lastYear: readonly StatsRow[];
}

/** What the node page shows of the history: status, the last row's dates, means and daily figures. */
export interface PageFigures extends PageDates {
  readonly status: NodeStatus;
  /** Means of the last 7 rows of the year. */
  readonly means: ImportFigures;
  /** The last row's daily figures, verbatim. */
  readonly daily: ImportFigures;
  /** `YYYY-MM-DD`, the first row's day: written once, to a new page. */
  readonly onlineSince: string;
  /** Share of counted days available over the last 30 and 365 days, e.g. `96,7 %`; `—` when no day counts. */
  readonly availability: { readonly days30: string; readonly days365: string };
  /** `Importe auffällig niedrig: 41 statt üblich 390` when today's imports dropped unusually. */
  readonly importNote: string | undefined;
  /** The last 365 days for the history chart, oldest first. */
  readonly days: readonly HistoryDay[];
}

/** The node's cells of the summary table (SPEC §3), after Node and Interface. */
export interface SummaryFigures {
  readonly lastCheck: string;
  readonly status: NodeStatus;
  /** daily_imported + daily_updated, e.g. `8.0` or `-` */
  readonly importsToday: string;
  /** daily_invalid + daily_failed */
  readonly errorsToday: string;
  readonly errorRateToday: string;
  readonly errorRate7d: string;
  /** Availability over the last 30 days, as on the page. */
  readonly availability30: string;
  /** The import drop note, as on the page; empty when there is none. */
  readonly note: string;
}

/** The dates the OFFLINE and NO IMPORTS mails (and their recovery notices) name, as DD.MM.YYYY. */
export interface MailDates {
  /** The last contact recorded; undefined when the node never had one. */
  readonly lastContact: string | undefined;
  /** The last import recorded; undefined when none ever was. */
  readonly lastWrite: string | undefined;
}

export interface NodeJudgement {
  readonly status: NodeStatus;
  /** Today's unusual import drop behind the page's note (the anomaly mail names its figures). */
  readonly importDrop: ImportDrop | undefined;
  /** The status at the end of each of the last 365 UTC days, oldest first, today's at `now` (the availability's days). */
  readonly dayStatuses: readonly DayStatus[];
  readonly page: PageFigures;
  readonly summary: SummaryFigures;
  readonly mail: MailDates;
}

/**
 * Judges a node at `now` from its stats history. The status is evaluated on this year's rows,
 * after the whole previous year when this year has fewer than 3; the page figures come from this
 * year's rows, or last year's early in January before the collector wrote the first row.
 * @returns undefined when there is no stats row at all (no page and no mail yet, SPEC §6).
 * @throws InvalidStatsFieldError naming the year, row and column of a malformed field (that node fails).
 */
export function judgeNode(
  history: StatsHistory,
  rules: StatusOptions,
  now: Date,
  /** Where a row is, for the message of a field that cannot be read (e.g. `<file>: line 13`). */
  locate?: (year: number, index: number) => string,
): NodeJudgement | undefined {
  try {
    return judgeHistory(history, rules, now);
  } catch (error) {
    if (!(error instanceof InvalidNumberError || error instanceof InvalidTimestampError)) throw error;
    throw locatedField(history, now.getUTCFullYear(), error, locate) ?? error;
  }
}

/**
 * Where the text a rule could not read stands: the latest field holding it, as the rules read
 * the last rows first. Undefined when no field holds it (then the error is thrown as it is).
 */
function locatedField(
  history: StatsHistory,
  thisYear: number,
  error: InvalidNumberError | InvalidTimestampError,
  locate: ((year: number, index: number) => string) | undefined,
): InvalidStatsFieldError | undefined {
  for (const [year, rows] of [
    [thisYear, history.thisYear],
    [thisYear - 1, history.lastYear],
  ] as const) {
    for (let index = rows.length - 1; index >= 0; index--) {
      const row = rows[index] as StatsRow;
      for (const [column, value] of Object.entries(row)) {
        if (value === error.text || value.replaceAll('-', '0') === error.text) {
          return new InvalidStatsFieldError(year, index, column, error, locate?.(year, index));
        }
      }
    }
  }
  return undefined;
}

function judgeHistory(history: StatsHistory, rules: StatusOptions, now: Date): NodeJudgement | undefined {
  const { thisYear, lastYear } = history;
  const pageRows = thisYear.length > 0 ? thisYear : lastYear;
  const lastRow = pageRows.at(-1);
  const firstRow = pageRows[0];
  if (lastRow === undefined || firstRow === undefined) return undefined;
  const statusRows = statusHistory(thisYear, lastYear);
  const status = nodeStatus(statusRows, now, rules);
  const dates = pageDates(lastRow);
  const means = weeklyMeans(pageRows);
  const daily = dailyFigures(lastRow);
  const today = todaysTotals(lastRow);
  const { statuses, days } = dailyHistory(history, rules, now, YEAR_DAYS);
  const days30 = availabilityText(availability(statuses, 30).share);
  // Only a node that is reachable and importing gets the note: OFFLINE, NO IMPORTS, a gap or
  // TESTING already say more than a low count does.
  const drop = IMPORTING.has(status.title) ? importDrop(history, now) : undefined;
  const importNote =
    drop === undefined
      ? undefined
      : `Importe auffällig niedrig: ${wholeNumber(drop.today)} statt üblich ${wholeNumber(drop.usual)}`;
  return {
    status,
    importDrop: drop,
    dayStatuses: statuses,
    page: {
      status,
      ...dates,
      means,
      daily,
      onlineSince: onlineSince(firstRow),
      availability: { days30, days365: availabilityText(availability(statuses, YEAR_DAYS).share) },
      importNote,
      days,
    },
    summary: {
      lastCheck: dates.lastCheck,
      status,
      importsToday: today.imports,
      errorsToday: today.errors,
      errorRateToday: daily.errorRate,
      errorRate7d: means.errorRate,
      availability30: days30,
      note: importNote ?? '',
    },
    mail: {
      lastContact: lastContactDate(statusRows),
      // As the original, from this year's CSV; [new] from the whole history when this year has no write (January).
      lastWrite: noImportsMailDate(thisYear) ?? noImportsMailDate(statusRows),
    },
  };
}

const IMPORTING: ReadonlySet<NodeStatusTitle> = new Set<NodeStatusTitle>([
  'ONLINE',
  'LOW ERROR RATE',
  'HIGH ERROR RATE',
  'EXTREME ERROR RATE',
]);

/** Days of the availability over a year and of the history chart. */
const YEAR_DAYS = 365;

/** `96,7 %` (one decimal, German comma); `—` when no day counts. */
function availabilityText(share: number | undefined): string {
  return share === undefined ? '—' : `${(share * 100).toFixed(1).replace('.', ',')} %`;
}

function wholeNumber(value: number): string {
  return String(Math.round(value));
}

/** The last row's last contact as the page shows it; [new] else the last one recorded before it. */
function lastContactDate(rows: readonly StatsRow[]): string | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    const date = row === undefined ? undefined : offlineMailDate(row);
    if (date !== undefined) return date;
  }
  return undefined;
}
