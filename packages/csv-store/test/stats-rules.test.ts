import { describe, expect, it } from 'vitest';
import { InvalidStatisticsError } from '../src/errors.js';
import {
  buildStatsRow,
  formatErrorRate,
  isRowOfDay,
  isSameDwhStart,
  needsPreviousYearRow,
  nextStatsRows,
} from '../src/stats-rules.js';
import { type ImportStatistics, STATS_COLUMNS, type StatsRow } from '../src/types.js';

const START = '2025-03-01T08:00:00+01:00';
const NOW = new Date('2025-03-10T06:00:00.000Z');

const stats = (overrides: Partial<ImportStatistics> = {}): ImportStatistics => ({
  start: START,
  lastWrite: '2025-03-10T07:00:00+01:00',
  lastReject: null,
  imported: '150',
  updated: '12',
  invalid: '1',
  failed: '3',
  errors: [],
  ...overrides,
});

const row = (overrides: Partial<StatsRow> = {}): StatsRow => ({
  date: '2025-03-09 06:00:00+00:00',
  last_contact: '2025-03-09T05:00:00Z',
  last_start: START,
  last_write: '-',
  last_reject: '-',
  imported: '100',
  updated: '10',
  invalid: '1',
  failed: '1',
  error_rate: '1.79',
  daily_imported: '-',
  daily_updated: '-',
  daily_invalid: '-',
  daily_failed: '-',
  daily_error_rate: '-',
  ...overrides,
});

const daily = (r: StatsRow) => [
  r.daily_imported,
  r.daily_updated,
  r.daily_invalid,
  r.daily_failed,
  r.daily_error_rate,
];
const NO_DELTAS = ['-', '-', '-', '-', '-'];
/** The daily figures of today's row after a previous row, today's statistics overridden. */
const dailyOf = (previousRow: StatsRow | undefined, overrides: Partial<ImportStatistics>) =>
  daily(buildStatsRow({ lastContact: 'x', stats: stats(overrides), previousRow, now: NOW }));

describe('formatErrorRate', () => {
  it.each<[bigint, bigint, bigint, bigint, string]>([
    [0n, 0n, 0n, 0n, '-'],
    [7n, 0n, 0n, 1n, '12.50'],
    [31n, 0n, 0n, 1n, '3.12'], // 3.125 exactly: half to even
    [29n, 0n, 0n, 3n, '9.38'], // 9.375 exactly
    [100n, 0n, 0n, 0n, '0.00'],
    [0n, 0n, 3n, 0n, '100.0'], // failures only: one decimal, as the original writes it
    [0n, 0n, 0n, 1n, '100.0'],
    [0n, 0n, -1n, 0n, '100.00'], // negative failures without successes take the general formula
    [-10n, 0n, 0n, 0n, '-0.00'],
    [-3n, 0n, 0n, 1n, '-50.00'],
    [1n, 0n, 0n, -2n, '200.00'],
    [-2n, 0n, 0n, 2n, '-'], // [new] non-zero deltas summing to zero: the original divides by zero
    [5n, -5n, 1n, -1n, '-'],
    [2n ** 60n, 0n, 0n, 1n, '0.00'],
    [1n, 2n, 0n, 0n, '0.00'],
    [1n, 1n, 1n, 0n, '33.33'],
    [0n, 1n, 2n, 0n, '66.67'],
  ])('imported %s updated %s invalid %s failed %s → %s', (imported, updated, invalid, failed, expected) => {
    expect(formatErrorRate(imported, updated, invalid, failed)).toBe(expected);
  });
});

describe('isSameDwhStart (same second in UTC)', () => {
  it.each([
    [START, START, true],
    [START, '2025-03-01T07:00:00.999Z', true],
    [START, '2025-03-01T08:00:00.000+01:00', true],
    [START, '2025-03-01T08:00:00+0100', true],
    [START, '2025-03-01T07:00:00', true], // naive is UTC
    [START, '2025-03-01T07:00:01Z', false],
    [START, '2025-03-01T06:59:59.999Z', false],
    [START, '2025-03-01T08:00:00+02:00', false],
    ['-', '-', false],
    ['', '', false],
    [START, 'garbage', false],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(isSameDwhStart(a, b)).toBe(expected);
  });
});

describe('buildStatsRow', () => {
  it('copies the broker texts and writes counters as integers', () => {
    const result = buildStatsRow({
      lastContact: '2025-03-10T05:59:12.345Z',
      stats: stats({ imported: ' 150\n', updated: '+12', invalid: 1, failed: 3n, lastReject: '' }),
      previousRow: undefined,
      now: new Date('2025-03-10T06:00:00.120Z'),
    });
    expect(result).toEqual({
      date: '2025-03-10 06:00:00.120000+00:00',
      last_contact: '2025-03-10T05:59:12.345Z',
      last_start: START,
      last_write: '2025-03-10T07:00:00+01:00',
      last_reject: '-',
      imported: '150',
      updated: '12',
      invalid: '1',
      failed: '3',
      error_rate: '2.41',
      daily_imported: '-',
      daily_updated: '-',
      daily_invalid: '-',
      daily_failed: '-',
      daily_error_rate: '-',
    });
    expect(Object.keys(result)).toEqual([...STATS_COLUMNS]);
  });

  it.each<[string, StatsRow | undefined, Partial<ImportStatistics>, string[]]>([
    ['no previous row', undefined, {}, NO_DELTAS],
    ['previous row of yesterday, same start', row(), {}, ['50', '2', '0', '2', '3.70']],
    ['previous row two days ago', row({ date: '2025-03-08 06:00:00+00:00' }), {}, NO_DELTAS],
    ['previous row of today', row({ date: '2025-03-10 05:00:00+00:00' }), {}, NO_DELTAS],
    // date[:10] is compared as text, as the original does, not converted to UTC:
    [
      'yesterday by text, today in UTC',
      row({ date: '2025-03-09 23:30:00-01:00' }),
      {},
      ['50', '2', '0', '2', '3.70'],
    ],
    ['today by text, yesterday in UTC', row({ date: '2025-03-10 00:30:00+01:00' }), {}, NO_DELTAS],
    [
      'yesterday late in the UTC day',
      row({ date: '2025-03-09 23:59:59.999000+00:00' }),
      {},
      ['50', '2', '0', '2', '3.70'],
    ],
    ['DWH restart', row(), { start: '2025-03-09T21:00:00+01:00', imported: '5' }, NO_DELTAS],
    [
      'start re-formatted to the same second',
      row(),
      { start: '2025-03-01T07:00:00.500Z' },
      ['50', '2', '0', '2', '3.70'],
    ],
    ['start absent', row(), { start: null }, NO_DELTAS],
    ['previous counters unreadable', row({ imported: '-' }), {}, NO_DELTAS],
    ['previous start unreadable', row({ last_start: '-' }), {}, NO_DELTAS],
  ])('%s', (_, previousRow, overrides, expected) => {
    expect(dailyOf(previousRow, overrides)).toEqual(expected);
  });

  // Today's counters (imported, updated, invalid, failed) against yesterday's row with 100, 10, 1, 1.
  it.each<[string, [string, string, string, string], string[]]>([
    ['counters that drop', ['90', '10', '1', '1'], ['-10', '0', '0', '0', '-0.00']],
    ['nothing happened', ['100', '10', '1', '1'], ['0', '0', '0', '0', '-']],
    ['failures only', ['100', '10', '4', '1'], ['0', '0', '3', '0', '100.0']],
    // [new] the original aborts the run with ZeroDivisionError here
    ['deltas summing to zero', ['98', '10', '1', '3'], ['-2', '0', '0', '2', '-']],
  ])('%s', (_, [imported, updated, invalid, failed], expected) => {
    expect(dailyOf(row(), { imported, updated, invalid, failed })).toEqual(expected);
  });

  it.each([null, ''])('writes - for a last-contact of %j ([new])', (lastContact) => {
    expect(
      buildStatsRow({ lastContact, stats: stats(), previousRow: undefined, now: NOW }).last_contact,
    ).toBe('-');
  });

  it.each<[string, Partial<ImportStatistics>]>([
    ['imported', { imported: '' }],
    ['updated', { updated: '1.5' }],
    ['invalid', { invalid: 'abc' }],
    ['failed', { failed: 1.5 }],
    ['failed', { failed: Number.NaN }],
  ])('refuses a %s counter that is no integer', (field, overrides) => {
    const build = () =>
      buildStatsRow({ lastContact: 'x', stats: stats(overrides), previousRow: undefined, now: NOW });
    expect(build).toThrow(InvalidStatisticsError);
    expect(build).toThrow(field);
  });
});

describe('nextStatsRows', () => {
  const today = row({ date: '2025-03-10 05:00:00+00:00', imported: '120' });
  const twoDaysAgo = row({ date: '2025-03-08 06:00:00+00:00', imported: '90' });
  const lastYear = row({ date: '2024-12-31 06:00:00+00:00', imported: '80' });

  it.each<[string, StatsRow[], StatsRow | undefined, string[], string[]]>([
    ['a new file', [], undefined, [], NO_DELTAS],
    ['a new file, last year known', [], lastYear, [], NO_DELTAS],
    [
      'yesterday is the last row',
      [twoDaysAgo, row()],
      undefined,
      [twoDaysAgo.date, row().date],
      ['50', '2', '0', '2', '3.70'],
    ],
    [
      'a second run on the same day replaces the last row',
      [row(), today],
      undefined,
      [row().date],
      ['50', '2', '0', '2', '3.70'],
    ],
    [
      'today given with an offset is still today',
      [row(), row({ date: '2025-03-10 01:00:00+01:00' })],
      undefined,
      [row().date],
      ['50', '2', '0', '2', '3.70'],
    ],
    [
      'only the last row is checked for today',
      [row(), today, today],
      undefined,
      [row().date, today.date],
      NO_DELTAS,
    ],
    [
      "the only row is today: last year's last row is yesterday",
      [today],
      row({ date: '2025-03-09 22:00:00+00:00' }),
      [],
      ['50', '2', '0', '2', '3.70'],
    ],
    ["last year's row is not used when the file has rows", [twoDaysAgo], row(), [twoDaysAgo.date], NO_DELTAS],
    [
      'a last row whose date cannot be read is kept',
      [row({ date: 'garbage' })],
      undefined,
      ['garbage'],
      NO_DELTAS,
    ],
    ['a skipped day gives no deltas', [twoDaysAgo], undefined, [twoDaysAgo.date], NO_DELTAS],
  ])('%s', (_, rows, previousYearLastRow, keptDates, expectedDaily) => {
    const result = nextStatsRows({ rows, previousYearLastRow, lastContact: 'x', stats: stats(), now: NOW });
    expect(result.slice(0, -1).map((r) => r.date)).toEqual(keptDates);
    expect(result.at(-1)?.date).toBe('2025-03-10 06:00:00+00:00');
    expect(daily(result.at(-1) as StatsRow)).toEqual(expectedDaily);
  });

  it('takes the run of 1 January against the last row of 31 December', () => {
    const now = new Date('2025-01-01T06:00:00Z');
    const result = nextStatsRows({
      rows: [],
      previousYearLastRow: lastYear,
      lastContact: 'x',
      stats: stats({ start: START, imported: '100' }),
      now,
    });
    expect(daily(result[0] as StatsRow)).toEqual(['20', '2', '0', '2', '8.33']);
  });

  it.each<[string, StatsRow[], boolean]>([
    ['no rows', [], true],
    ['only a row of today', [row({ date: '2025-03-10 05:00:00+00:00' })], true],
    ['only a row of yesterday', [row()], false],
    ['rows before today', [row(), row({ date: '2025-03-10 05:00:00+00:00' })], false],
  ])('needsPreviousYearRow: %s → %s', (_, rows, expected) => {
    expect(needsPreviousYearRow(rows, NOW)).toBe(expected);
  });

  it.each([
    ['2025-03-10 00:00:00+00:00', true],
    ['2025-03-10 23:59:59.999000+00:00', true],
    ['2025-03-10 00:30:00+01:00', false],
    ['2025-03-09T23:30:00-01:00', true],
    ['garbage', false],
  ])('isRowOfDay(%s) → %s', (date, expected) => {
    expect(isRowOfDay(row({ date }), NOW)).toBe(expected);
  });
});
