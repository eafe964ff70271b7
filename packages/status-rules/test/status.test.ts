import type { StatsRow } from '@broker-monitor/csv-store';
import { describe, expect, it } from 'vitest';
import { EmptyHistoryError, InvalidNumberError, InvalidTimestampError } from '../src/errors.js';
import {
  lastKnownWrite,
  type NodeStatusTitle,
  needsPreviousYear,
  nodeStatus,
  type StatusOptions,
  statusHistory,
} from '../src/status.js';
import { days, hoursAgo, imports, NOW, row } from './rows.js';

interface Case {
  name: string;
  history: StatsRow[];
  options?: StatusOptions;
  expected: NodeStatusTitle;
}

const healthy = days(3);
/** Three daily rows ending now whose last row has `fields`. */
const lastRow = (fields: Partial<StatsRow>) => days(3, (i) => (i === 2 ? fields : {}));

/** The default 72 h threshold of a date column: at 72 h (72.5 h rounds to it) still ONLINE, at 73 h `beyond`. */
function defaultThresholdCases(
  noun: string,
  column: 'last_contact' | 'last_write',
  beyond: NodeStatusTitle,
): Case[] {
  return [
    { name: `${noun} 72 h ago`, history: lastRow({ [column]: hoursAgo(72) }), expected: 'ONLINE' },
    {
      name: `${noun} 72.5 h ago rounds to 72`,
      history: lastRow({ [column]: hoursAgo(72.5) }),
      expected: 'ONLINE',
    },
    { name: `${noun} 73 h ago`, history: lastRow({ [column]: hoursAgo(73) }), expected: beyond },
  ];
}

const cases: Case[] = [
  { name: 'healthy node', history: healthy, expected: 'ONLINE' },

  // GAP IN MONITORING: last row vs now, and the last two rows; hours round half to even
  { name: 'last row 24 h old', history: days(3).map(shift(24)), expected: 'ONLINE' },
  { name: 'last row 24.5 h old rounds to 24', history: days(3).map(shift(24.5)), expected: 'ONLINE' },
  {
    name: 'last row 24.51 h old rounds to 25',
    history: days(3).map(shift(24.51)),
    expected: 'GAP IN MONITORING',
  },
  { name: 'last row 25 h old', history: days(3).map(shift(25)), expected: 'GAP IN MONITORING' },
  {
    name: 'last row dated 25 h ahead of now',
    history: days(3).map(shift(-25)),
    expected: 'GAP IN MONITORING',
  },
  {
    name: 'last two rows 24.5 h apart',
    history: [row({ date: hoursAgo(48.5) }), row({ date: hoursAgo(24.5) }), row({ date: hoursAgo(0) })],
    expected: 'ONLINE',
  },
  {
    name: 'last two rows 25 h apart',
    history: [row({ date: hoursAgo(49) }), row({ date: hoursAgo(25) }), row({ date: hoursAgo(0) })],
    expected: 'GAP IN MONITORING',
  },
  {
    name: 'older gap is ignored',
    history: [row({ date: hoursAgo(24 * 99) }), row({ date: hoursAgo(24) }), row({ date: hoursAgo(0) })],
    expected: 'ONLINE',
  },
  { name: 'single row of today', history: [row()], expected: 'ONLINE' },
  {
    name: 'gap wins over testing',
    history: imports('0', '0', '0').map(shift(30)),
    expected: 'GAP IN MONITORING',
  },

  // TESTING: N consecutive import days (default 3); '-' is 0, negative values count as imports
  { name: 'no imports at all', history: imports('-', '-', '-'), expected: 'TESTING' },
  { name: 'zeros', history: imports('0', '0', '0', '0'), expected: 'TESTING' },
  { name: 'history shorter than N', history: imports('0', '0'), expected: 'ONLINE' },
  { name: 'a run of 3 import days', history: imports('0', '1', '1', '1', '1', '0'), expected: 'ONLINE' },
  { name: 'run at the very start', history: imports('7', '8', '9', '0', '-', '0'), expected: 'ONLINE' },
  { name: 'broken runs of 2', history: imports('0', '1', '1', '0', '1', '1'), expected: 'TESTING' },
  { name: "'-' breaks a run", history: imports('1', '-', '1', '1'), expected: 'TESTING' },
  { name: 'negative deltas count as imports', history: imports('-5', '-3', '-1'), expected: 'ONLINE' },
  { name: 'negatives and zeros', history: imports('-5', '0', '-1', '0'), expected: 'TESTING' },
  {
    name: 'per-node N = 4, run of 3',
    history: imports('0', '1', '1', '1', '0'),
    options: { consecutiveImportDays: 4 },
    expected: 'TESTING',
  },
  {
    name: 'per-node N = 4, run of 4',
    history: imports('0', '1', '1', '1', '1'),
    options: { consecutiveImportDays: 4 },
    expected: 'ONLINE',
  },
  {
    name: 'per-node N = 10 longer than the history',
    history: imports('0', '0', '0'),
    options: { consecutiveImportDays: 10 },
    expected: 'ONLINE',
  },
  {
    name: 'N = 0 means the default 3',
    history: imports('0', '1', '1', '0'),
    options: { consecutiveImportDays: 0 },
    expected: 'TESTING',
  },
  {
    name: 'testing wins over offline',
    history: days(3, () => ({ daily_imported: '0', last_contact: hoursAgo(500) })),
    expected: 'TESTING',
  },

  // OFFLINE: last row's last_contact against the threshold (default 72 h)
  ...defaultThresholdCases('contact', 'last_contact', 'OFFLINE'),
  { name: 'contact 72.51 h ago', history: lastRow({ last_contact: hoursAgo(72.51) }), expected: 'OFFLINE' },
  {
    name: 'contact 73.5 h ago rounds to 74',
    history: lastRow({ last_contact: hoursAgo(73.5) }),
    expected: 'OFFLINE',
  },
  { name: 'no contact ever', history: lastRow({ last_contact: '-' }), expected: 'OFFLINE' },
  ...(
    [
      [24, 24, 'ONLINE'],
      [25, 24, 'OFFLINE'],
      [100, 168, 'ONLINE'],
    ] as const
  ).map(([hours, threshold, expected]) => ({
    name: `contact ${hours} h ago, node threshold ${threshold}`,
    history: lastRow({ last_contact: hoursAgo(hours) }),
    options: { thresholdHoursFailure: threshold },
    expected,
  })),
  {
    name: 'threshold 0 means the default 72',
    history: lastRow({ last_contact: hoursAgo(50) }),
    options: { thresholdHoursFailure: 0 },
    expected: 'ONLINE',
  },
  {
    name: 'offline wins over no imports',
    history: lastRow({ last_contact: hoursAgo(100), last_write: hoursAgo(100) }),
    expected: 'OFFLINE',
  },
  {
    name: 'only the last row’s contact counts',
    history: days(3, (i) => ({ last_contact: i === 2 ? hoursAgo(1) : hoursAgo(500) })),
    expected: 'ONLINE',
  },

  // NO IMPORTS: last_write, or the last recorded one when the last row has '-'
  ...defaultThresholdCases('write', 'last_write', 'NO IMPORTS'),
  {
    name: 'write 30 h ago, node threshold 24',
    history: lastRow({ last_write: hoursAgo(30) }),
    options: { thresholdHoursFailure: 24 },
    expected: 'NO IMPORTS',
  },
  {
    name: "last row '-', older write 100 h ago",
    history: days(4, (i) => ({ last_write: i === 0 ? hoursAgo(100) : '-' })),
    expected: 'NO IMPORTS',
  },
  {
    name: "last row '-', older write 10 h ago",
    history: days(4, (i) => ({ last_write: i === 1 ? hoursAgo(10) : '-' })),
    expected: 'ONLINE',
  },
  {
    name: "last row '-', latest of several writes counts",
    history: days(4, (i) => ({ last_write: ['-', hoursAgo(200), hoursAgo(20), '-'][i] ?? '-' })),
    expected: 'ONLINE',
  },
  { name: 'never written', history: days(3, () => ({ last_write: '-' })), expected: 'ONLINE' },
  {
    name: 'no imports wins over error rate',
    history: lastRow({ last_write: hoursAgo(80), daily_error_rate: '50.0' }),
    expected: 'NO IMPORTS',
  },

  // Error rate of the last row: >= 10 extreme, >= 5 high, >= 1 low
  { name: 'error rate 0.99', history: lastRow({ daily_error_rate: '0.99' }), expected: 'ONLINE' },
  { name: 'error rate 1 (1.0)', history: lastRow({ daily_error_rate: '1.0' }), expected: 'LOW ERROR RATE' },
  { name: 'error rate 1.00', history: lastRow({ daily_error_rate: '1.00' }), expected: 'LOW ERROR RATE' },
  { name: 'error rate 4.99', history: lastRow({ daily_error_rate: '4.99' }), expected: 'LOW ERROR RATE' },
  { name: 'error rate 5', history: lastRow({ daily_error_rate: '5.00' }), expected: 'HIGH ERROR RATE' },
  { name: 'error rate 9.99', history: lastRow({ daily_error_rate: '9.99' }), expected: 'HIGH ERROR RATE' },
  { name: 'error rate 10', history: lastRow({ daily_error_rate: '10.00' }), expected: 'EXTREME ERROR RATE' },
  {
    name: 'error rate 100.0',
    history: lastRow({ daily_error_rate: '100.0' }),
    expected: 'EXTREME ERROR RATE',
  },
  { name: "error rate '-'", history: lastRow({ daily_error_rate: '-' }), expected: 'ONLINE' },
  { name: 'error rate -0.00', history: lastRow({ daily_error_rate: '-0.00' }), expected: 'ONLINE' },
  {
    name: 'only the last row’s error rate counts',
    history: days(3, (i) => ({ daily_error_rate: i === 2 ? '0.00' : '50.00' })),
    expected: 'ONLINE',
  },
];

function shift(hours: number) {
  return (r: StatsRow, i: number, all: StatsRow[]): StatsRow => ({
    ...r,
    date: hoursAgo(hours + 24 * (all.length - 1 - i)),
  });
}

describe('nodeStatus', () => {
  it.each(cases)('$name → $expected', ({ history, options, expected }) => {
    expect(nodeStatus(history, NOW, options).title).toBe(expected);
  });

  it.each([
    ['GAP IN MONITORING', 'Red', days(3).map(shift(30))],
    ['TESTING', 'Blue', imports('0', '0', '0')],
    ['OFFLINE', 'Red', lastRow({ last_contact: '-' })],
    ['NO IMPORTS', 'Red', lastRow({ last_write: hoursAgo(90) })],
    ['EXTREME ERROR RATE', 'Red', lastRow({ daily_error_rate: '12.50' })],
    ['HIGH ERROR RATE', 'Yellow', lastRow({ daily_error_rate: '7.00' })],
    ['LOW ERROR RATE', 'Yellow', lastRow({ daily_error_rate: '2.00' })],
    ['ONLINE', 'Green', healthy],
  ] as const)('%s is shown %s', (status, color, history) => {
    expect(nodeStatus(history, NOW)).toEqual({ title: status, color });
  });

  it('reads every date form of the store', () => {
    const history = [
      row({ date: '2025-03-08 06:00:00+0000' }),
      row({ date: '2025-03-09T07:00:00.123+01:00' }),
      row({ date: '2025-03-10 05:59:59.999999+00:00', last_contact: '2025-03-10T05:00:00Z' }),
    ];
    expect(nodeStatus(history, NOW).title).toBe('ONLINE');
    expect(nodeStatus(history, new Date('2025-03-11T06:00:00Z')).title).toBe('ONLINE');
    expect(nodeStatus(history, new Date('2025-03-11T06:30:00.001Z')).title).toBe('GAP IN MONITORING');
  });

  it('throws typed errors for an empty history and malformed fields', () => {
    expect(() => nodeStatus([], NOW)).toThrow(EmptyHistoryError);
    expect(() => nodeStatus([row({ date: 'yesterday' })], NOW)).toThrow(InvalidTimestampError);
    expect(() => nodeStatus(lastRow({ daily_error_rate: 'abc' }), NOW)).toThrow(InvalidNumberError);
  });
});

describe('previous year', () => {
  const previousYear = days(10).map(shift(24 * 3));

  it.each([
    [0, true],
    [1, true],
    [2, true],
    [3, false],
    [30, false],
  ])('%i rows this year → needs last year: %s', (count, expected) => {
    expect(needsPreviousYear(days(count))).toBe(expected);
  });

  it('prepends the whole previous year when the current one has fewer than 3 rows', () => {
    const current = days(2);
    const history = statusHistory(current, previousYear);
    expect(history).toEqual([...previousYear, ...current]);
    expect(statusHistory(days(3), previousYear)).toEqual(days(3));
    expect(statusHistory(current, undefined)).toEqual(current);
  });

  it('changes the status: a gap across the turn of the year', () => {
    const current = [row({ date: hoursAgo(0) })];
    const lastYear = [row({ date: hoursAgo(60) }), row({ date: hoursAgo(30) })];
    expect(nodeStatus(current, NOW).title).toBe('ONLINE');
    expect(nodeStatus(statusHistory(current, lastYear), NOW).title).toBe('GAP IN MONITORING');
  });

  it('changes the status: testing decided on last year’s rows', () => {
    const current = imports('0', '0');
    const lastYear = imports('0', '0', '0').map(shift(48));
    expect(nodeStatus(current, NOW).title).toBe('ONLINE');
    expect(nodeStatus(statusHistory(current, lastYear), NOW).title).toBe('TESTING');
    const importingLastYear = imports('4', '4', '4').map(shift(48));
    expect(nodeStatus(statusHistory(current, importingLastYear), NOW).title).toBe('ONLINE');
  });

  it('changes the status: the last write is found in last year’s file', () => {
    const current = days(1, () => ({ last_write: '-' }));
    const lastYear = days(2, () => ({ last_write: hoursAgo(200) })).map(shift(24));
    expect(nodeStatus(current, NOW).title).toBe('ONLINE');
    expect(nodeStatus(statusHistory(current, lastYear), NOW).title).toBe('NO IMPORTS');
  });
});

describe('lastKnownWrite', () => {
  it.each([
    [['a', 'b', 'c'], 'c'],
    [['a', 'b', '-'], 'b'],
    [['a', '-', '-'], 'a'],
    [['-', '-', '-'], undefined],
    [[], undefined],
  ])('%j → %s', (writes, expected) => {
    const rows = writes.map((w) => row({ last_write: w }));
    expect(lastKnownWrite(rows)).toBe(expected);
  });
});
