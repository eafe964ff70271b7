import type { StatsRow } from '@broker-monitor/csv-store';
import { describe, expect, it } from 'vitest';
import { availability, type DayStatus, dailyHistory, importDrop } from '../src/history.js';
import { nodeStatus, statusHistory } from '../src/status.js';
import { days, hoursAgo, NOW, row } from './rows.js';

const DAY = 24;

/** One healthy row per day ending now, each with contact and write shortly before its own run. */
function dailyRows(count: number, each: (i: number) => Partial<StatsRow> = () => ({})): StatsRow[] {
  return days(count, (i) => {
    const age = DAY * (count - 1 - i);
    return { last_contact: hoursAgo(age + 1), last_write: hoursAgo(age + 2), ...each(i) };
  });
}
const statuses = (...list: (DayStatus['status'] | 'x')[]): DayStatus[] =>
  list.map((status, i) => ({ day: `d${i}`, status: status === 'x' ? undefined : status }));

describe('availability', () => {
  it.each([
    ['all ONLINE', statuses('ONLINE', 'ONLINE', 'ONLINE'), 1, 3],
    [
      'error-rate levels count as available',
      statuses('LOW ERROR RATE', 'HIGH ERROR RATE', 'EXTREME ERROR RATE'),
      1,
      3,
    ],
    ['OFFLINE and NO IMPORTS count against', statuses('ONLINE', 'OFFLINE', 'NO IMPORTS', 'ONLINE'), 0.5, 4],
    [
      'TESTING and GAP IN MONITORING are left out',
      statuses('TESTING', 'GAP IN MONITORING', 'OFFLINE', 'ONLINE'),
      0.5,
      2,
    ],
    ['days before the first row are left out', statuses('x', 'x', 'ONLINE'), 1, 1],
    ['nothing to count', statuses('x', 'TESTING', 'GAP IN MONITORING'), undefined, 0],
  ] as const)('%s', (_name, list, share, countedDays) => {
    expect(availability(list, 30)).toEqual({ share, countedDays });
  });

  it('counts only the last days of the window', () => {
    expect(availability(statuses('OFFLINE', 'OFFLINE', 'ONLINE', 'ONLINE'), 2)).toEqual({
      share: 1,
      countedDays: 2,
    });
  });
});

/** The reporter's judgement of the history as it stood at `end`: the reference for each day. */
function judgedAt(thisYear: StatsRow[], lastYear: StatsRow[], end: Date) {
  const upTo = (rows: StatsRow[]) =>
    rows.filter((r) => Date.parse(r.date.replace(' ', 'T')) <= end.getTime());
  const dayYear = end.getUTCFullYear();
  const current = dayYear === NOW.getUTCFullYear() ? upTo(thisYear) : upTo(lastYear);
  const previous = dayYear === NOW.getUTCFullYear() ? lastYear : [];
  const history = current.length === 0 ? upTo(previous) : statusHistory(current, previous);
  return history.length === 0 ? undefined : nodeStatus(history, end).title;
}

describe('dailyHistory', () => {
  it('judges each day as the reporter would have at its end, today at now', () => {
    // 40 days: healthy, then 5 days without contact, then a gap of 2 days in monitoring, then errors.
    const all = dailyRows(40, (i) => ({
      ...(i >= 20 && i < 25 ? { last_contact: hoursAgo(DAY * (40 - 19)) } : {}),
      ...(i >= 35 ? { daily_error_rate: '7.50' } : {}),
    })).filter((_, i) => i !== 30 && i !== 31);
    const list = dailyHistory({ thisYear: all, lastYear: [] }, {}, NOW, 45).statuses;
    expect(list).toHaveLength(45);
    expect(list.at(-1)).toEqual({ day: '2025-03-10', status: 'HIGH ERROR RATE' });
    list.forEach(({ day, status }, index) => {
      const end = index === list.length - 1 ? NOW : new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 - 1);
      expect(status, day).toBe(judgedAt(all, [], end));
    });
    expect(list.map((d) => d.status)).toContain('OFFLINE');
    expect(list.map((d) => d.status)).toContain('GAP IN MONITORING');
    expect(list.slice(0, 5).every((d) => d.status === undefined)).toBe(true);
  });

  it('reaches across the turn of the year, with last year’s rows before this year’s third', () => {
    // NOW is 2025-03-10; rows from 2024-11-01 on, last year's and this year's file.
    const rows = dailyRows(130);
    const lastYear = rows.filter((r) => r.date < '2025');
    const thisYear = rows.filter((r) => r.date >= '2025');
    const list = dailyHistory({ thisYear, lastYear }, {}, NOW, 140).statuses;
    list.forEach(({ day, status }, index) => {
      const end = index === list.length - 1 ? NOW : new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 - 1);
      expect(status, day).toBe(judgedAt(thisYear, lastYear, end));
    });
    expect(list.find((d) => d.day === '2025-01-01')?.status).toBe('ONLINE');
    expect(list.find((d) => d.day === '2024-12-31')?.status).toBe('ONLINE');
  });

  it('gives a day with a malformed row no status, and the others theirs', () => {
    const rows = dailyRows(5, (i) => (i === 2 ? { daily_error_rate: 'xyz' } : {}));
    const list = dailyHistory({ thisYear: rows, lastYear: [] }, {}, NOW, 5).statuses;
    expect(list.map((d) => d.status)).toEqual(['ONLINE', 'ONLINE', undefined, 'ONLINE', 'ONLINE']);
  });
});

describe('importDrop', () => {
  const withImports = (values: (string | number)[]) =>
    days(values.length, (i) => ({ daily_imported: String(values[i]), daily_updated: '0' }));

  it.each([
    ['under a third of the median', [...Array(28).fill(390), 41], { today: 41, usual: 390 }],
    ['exactly a third is no drop', [...Array(28).fill(300), 100], undefined],
    ['zero imports today is a drop', [...Array(10).fill(60), 0], { today: 0, usual: 60 }],
    ['a median under 20 says too little', [...Array(28).fill(19), 0], undefined],
    ['a median of 20 is enough', [...Array(28).fill(20), 6], { today: 6, usual: 20 }],
    ['the first week says nothing yet', [...Array(6).fill(390), 1], undefined],
    ['seven days with imports are enough', [...Array(7).fill(390), 1], { today: 1, usual: 390 }],
    [
      'days without imports are not the normal',
      [...Array(20).fill(0), ...Array(8).fill(100), 10],
      { today: 10, usual: 100 },
    ],
    [
      'only the last 28 days with imports count',
      [...Array(30).fill(1000), ...Array(28).fill(90), 29],
      { today: 29, usual: 90 },
    ],
    [
      'an even count takes the mean of the middle two',
      [...Array(4).fill(100), ...Array(4).fill(200), 40],
      { today: 40, usual: 150 },
    ],
  ] as const)('%s', (_name, values, expected) => {
    expect(importDrop({ thisYear: withImports([...values]), lastYear: [] }, NOW)).toEqual(expected);
  });

  it('adds updates to imports', () => {
    const rows = days(10, (i) => ({
      daily_imported: i === 9 ? '5' : '50',
      daily_updated: i === 9 ? '1' : '50',
    }));
    expect(importDrop({ thisYear: rows, lastYear: [] }, NOW)).toEqual({ today: 6, usual: 100 });
  });

  it('says nothing without today’s figure: no row today, `-` after a DWH restart, a negative delta', () => {
    const base = withImports([...Array(28).fill(390), 41]);
    expect(importDrop({ thisYear: base.slice(0, -1), lastYear: [] }, NOW)).toBeUndefined();
    expect(
      importDrop(
        { thisYear: [...base.slice(0, -1), row({ daily_imported: '-', daily_updated: '-' })], lastYear: [] },
        NOW,
      ),
    ).toBeUndefined();
    expect(
      importDrop(
        {
          thisYear: [...base.slice(0, -1), row({ daily_imported: '-300', daily_updated: '0' })],
          lastYear: [],
        },
        NOW,
      ),
    ).toBeUndefined();
    expect(importDrop({ thisYear: [], lastYear: [] }, NOW)).toBeUndefined();
  });
});

describe('importDrop across the turn of the year', () => {
  it('takes the normal from last year’s rows while this year has few', () => {
    const rows = days(20, (i) => ({ daily_imported: i === 19 ? '10' : '200', daily_updated: '0' }));
    expect(importDrop({ lastYear: rows.slice(0, 17), thisYear: rows.slice(17) }, NOW)).toEqual({
      today: 10,
      usual: 200,
    });
  });
});
