import { STATS_COLUMNS, type StatsRow } from '@broker-monitor/csv-store';

/** The fixed clock of the tests. */
export const NOW = new Date('2025-03-10T06:00:00.000Z');

/** `hours` before NOW, written as Python's `str(datetime)` does (the collector's `date` form). */
export function hoursAgo(hours: number): string {
  const iso = new Date(NOW.getTime() - hours * 3_600_000).toISOString();
  const micros = iso.slice(20, 23) === '000' ? '' : `.${iso.slice(20, 23)}000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${micros}+00:00`;
}

/** A healthy row (contact and write an hour ago, imports, 0 % errors), changed by `fields`. */
export function row(fields: Partial<StatsRow> = {}): StatsRow {
  const base = Object.fromEntries(STATS_COLUMNS.map((column) => [column, '-'])) as StatsRow;
  return {
    ...base,
    date: hoursAgo(0),
    last_contact: hoursAgo(1),
    last_start: hoursAgo(500),
    last_write: hoursAgo(2),
    imported: '100',
    updated: '10',
    invalid: '0',
    failed: '0',
    error_rate: '0.00',
    daily_imported: '5',
    daily_updated: '1',
    daily_invalid: '0',
    daily_failed: '0',
    daily_error_rate: '0.00',
    ...fields,
  };
}

/** One row per day ending now; `each(i)` changes row i (0 = oldest). */
export function days(count: number, each: (i: number) => Partial<StatsRow> = () => ({})): StatsRow[] {
  return Array.from({ length: count }, (_, i) => row({ date: hoursAgo(24 * (count - 1 - i)), ...each(i) }));
}

/** Rows whose daily_imported are the given texts, one per day ending now. */
export function imports(...values: string[]): StatsRow[] {
  return days(values.length, (i) => ({ daily_imported: values[i] ?? '-' }));
}
