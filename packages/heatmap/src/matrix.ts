import { InvalidHeatmapDateError } from './errors.js';

/** Days shown: the last date and the 41 before it. */
export const HEATMAP_DAYS = 42;
/** Days of the last week, weighted by `LAST_WEEK_WEIGHT` in the order. */
export const LAST_WEEK_DAYS = 7;
export const LAST_WEEK_WEIGHT = 6;
/** More rows make the image too tall to read; the rest is counted in the caption. */
export const HEATMAP_MAX_NODES = 150;

/** One node's daily error rates as the stats CSV holds them (`-`, `0.00`, `12.50`, `100.0`, `-3.5`). */
export interface HeatmapInputRow {
  nodeName: string;
  days: ReadonlyArray<{ date: string; dailyErrorRate: string }>;
}

/** The colour classes, from "no imports" to "≥ 10 %". */
export type ErrorRateBin = 'no-imports' | 'below-1' | 'from-1' | 'from-5' | 'from-10';

export const ERROR_RATE_BINS: readonly ErrorRateBin[] = [
  'no-imports',
  'below-1',
  'from-1',
  'from-5',
  'from-10',
];

export interface HeatmapCell {
  date: string;
  /** The CSV text of that day, `null` when the node has no row for it. */
  dailyErrorRate: string | null;
  bin: ErrorRateBin;
}

export interface HeatmapRow {
  nodeName: string;
  /** Older days + 6 × last week; higher is worse. */
  score: number;
  /** One cell per entry of `HeatmapMatrix.dates`, in that order. */
  cells: HeatmapCell[];
}

export interface HeatmapMatrix {
  /** `HEATMAP_DAYS` dates, oldest first, ending with the last date. */
  dates: string[];
  /** The shown rows, worst first, at most `HEATMAP_MAX_NODES`. */
  rows: HeatmapRow[];
  /** Nodes left out because of the cap (the best ones). */
  hiddenNodes: number;
  /** German sentence counting the hidden nodes, `''` when none are hidden. */
  caption: string;
}

/** A day's error rate as a number, or `null` for no imports (`-`, no row, or text that is no number). */
function parseErrorRate(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '-') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

export function errorRateBin(dailyErrorRate: string | null): ErrorRateBin {
  const value = parseErrorRate(dailyErrorRate);
  if (value === null) return 'no-imports';
  if (value >= 10) return 'from-10';
  if (value >= 5) return 'from-5';
  if (value >= 1) return 'from-1';
  return 'below-1';
}

/**
 * What one day adds to the order score, in hundredths so that sums are exact integers (ties must
 * be real ties, not float noise). No imports count −1, so such nodes rank below healthy ones.
 * A negative rate is a counter glitch of the broker, not fewer errors than none: it counts 0.
 */
function dayScoreHundredths(dailyErrorRate: string | null): number {
  const value = parseErrorRate(dailyErrorRate);
  if (value === null) return -100;
  return Math.round(Math.max(value, 0) * 100);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function parseDate(text: string): number {
  const match = DATE_PATTERN.exec(text);
  if (match === null) throw new InvalidHeatmapDateError(text);
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(time).toISOString().slice(0, 10) !== text) throw new InvalidHeatmapDateError(text);
  return time;
}

/** The window's dates, oldest first; plain UTC calendar arithmetic, so no time zone can shift a day. */
export function heatmapDates(lastDate: string): string[] {
  const last = parseDate(lastDate);
  return Array.from({ length: HEATMAP_DAYS }, (_, index) =>
    new Date(last - (HEATMAP_DAYS - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

// German collation puts "Ärztehaus" next to "Aachen"; numeric puts "[2]" before "[10]".
const nameCollator = new Intl.Collator('de', { numeric: true });

interface ScoredNode {
  input: HeatmapInputRow;
  /** The node's rate text per date; later rows of one date win. */
  byDate: Map<string, string>;
  score: number;
  /** Where the row came in the caller's order: the last tie-break, as a stable sort keeps it. */
  position: number;
}

function compareNodes(a: ScoredNode, b: ScoredNode): number {
  if (a.score !== b.score) return b.score - a.score;
  const nameA = a.input.nodeName;
  const nameB = b.input.nodeName;
  const byName = nameCollator.compare(nameA, nameB);
  if (byName !== 0) return byName;
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  return a.position - b.position;
}

function scoreNode(input: HeatmapInputRow, dates: readonly string[], position: number): ScoredNode {
  const byDate = new Map<string, string>();
  for (const day of input.days) byDate.set(day.date, day.dailyErrorRate);
  const lastWeekStart = dates.length - LAST_WEEK_DAYS;
  let olderDays = 0;
  let lastWeek = 0;
  dates.forEach((date, index) => {
    const points = dayScoreHundredths(byDate.get(date) ?? null);
    if (index < lastWeekStart) olderDays += points;
    else lastWeek += points;
  });
  return { input, byDate, score: (olderDays + LAST_WEEK_WEIGHT * lastWeek) / 100, position };
}

export function hiddenNodesCaption(hiddenNodes: number): string {
  if (hiddenNodes === 0) return '';
  if (hiddenNodes === 1) return '1 weiterer Knoten nicht dargestellt';
  return `${hiddenNodes} weitere Knoten nicht dargestellt`;
}

/**
 * The heatmap's rows gathered one node at a time, keeping only the (at most 150) nodes drawn so
 * far: a report of 2000 nodes need not hold 42 days of every node until the last one is read.
 * `matrix()` equals `heatmapMatrix` of the added rows ordered by `position`.
 */
export interface HeatmapRanking {
  /**
   * Adds a node (TESTING nodes are left out beforehand, SPEC §3). `position` is its place in the
   * caller's order (e.g. the mapping), which breaks ties of equal score and name; rows may be
   * added in any order.
   */
  add(row: HeatmapInputRow, position: number): void;
  /** Nodes added so far. */
  readonly size: number;
  matrix(): HeatmapMatrix;
}

/**
 * An empty ranking of the 42 days ending with `lastDate`.
 * @throws InvalidHeatmapDateError for a bad `lastDate`
 */
export function createHeatmapRanking(lastDate: string): HeatmapRanking {
  const dates = heatmapDates(lastDate);
  // The shown nodes so far, worst first.
  const shown: ScoredNode[] = [];
  let size = 0;
  return {
    add(row, position) {
      size += 1;
      const node = scoreNode(row, dates, position);
      // After every node that ranks before it or ties with it, as a stable sort would place it.
      let low = 0;
      let high = shown.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (compareNodes(shown[middle] as ScoredNode, node) <= 0) low = middle + 1;
        else high = middle;
      }
      if (low >= HEATMAP_MAX_NODES) return;
      shown.splice(low, 0, node);
      if (shown.length > HEATMAP_MAX_NODES) shown.pop();
    },
    get size() {
      return size;
    },
    matrix() {
      const hiddenNodes = size - shown.length;
      const rows = shown.map(
        ({ input, byDate, score }): HeatmapRow => ({
          nodeName: input.nodeName,
          score,
          cells: dates.map((date): HeatmapCell => {
            const dailyErrorRate = byDate.get(date) ?? null;
            return { date, dailyErrorRate, bin: errorRateBin(dailyErrorRate) };
          }),
        }),
      );
      return { dates: [...dates], rows, hiddenNodes, caption: hiddenNodesCaption(hiddenNodes) };
    },
  };
}

/**
 * The heatmap's matrix: every node × the 42 days ending with `lastDate`, worst first.
 * Callers leave TESTING nodes out beforehand (SPEC §3). Days outside the window are ignored; when a
 * node has two rows for one date the later one in `days` counts.
 */
export function heatmapMatrix(rows: readonly HeatmapInputRow[], lastDate: string): HeatmapMatrix {
  const ranking = createHeatmapRanking(lastDate);
  for (const [position, row] of rows.entries()) ranking.add(row, position);
  return ranking.matrix();
}
