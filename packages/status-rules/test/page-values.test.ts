import type { ErrorRow, StatsRow } from '@broker-monitor/csv-store';
import { describe, expect, it } from 'vitest';
import {
  dailyFigures,
  onlineSince,
  pageDates,
  pageErrors,
  pageResources,
  resourceList,
  resourceValue,
  summarySum,
  todaysTotals,
  versionValues,
  weeklyMeans,
} from '../src/page-values.js';
import { reference } from './reference.js';
import { days, row } from './rows.js';

const dailies = (values: Array<Partial<StatsRow>>) => days(values.length, (i) => values[i] ?? {});
const allDash = {
  daily_imported: '-',
  daily_updated: '-',
  daily_invalid: '-',
  daily_failed: '-',
  daily_error_rate: '-',
};

describe('weeklyMeans', () => {
  it('is - for every column when all values are -', () => {
    expect(weeklyMeans(dailies([allDash]))).toEqual({
      imported: '-',
      updated: '-',
      invalid: '-',
      failed: '-',
      errorRate: '-',
    });
  });

  it('is - for an empty year', () => {
    expect(weeklyMeans([]).imported).toBe('-');
  });

  it('counts - rows in the divisor, not in the sum (the original’s two-row CSV)', () => {
    const rows = dailies([
      allDash,
      {
        daily_imported: '2000',
        daily_updated: '2000',
        daily_invalid: '2000',
        daily_failed: '2000',
        daily_error_rate: '50.0',
      },
    ]);
    expect(weeklyMeans(rows)).toEqual({
      imported: '1000.00',
      updated: '1000.00',
      invalid: '1000.00',
      failed: '1000.00',
      errorRate: '25.00',
    });
  });

  it('takes only the last 7 rows', () => {
    const values = ['1000', '1000', '1000', '7', '-', '0', '7', '7', '7', '7'];
    const rows = dailies(values.map((v) => ({ daily_imported: v })));
    expect(weeklyMeans(rows).imported).toBe('5.00'); // (7+0+7·4)/7, the three 1000s are older
  });

  it('takes all rows when there are fewer than 7', () => {
    const rows = dailies(['1', '2', '-', '4'].map((v) => ({ daily_failed: v })));
    expect(weeklyMeans(rows).failed).toBe('1.75');
  });

  it('rounds half to even on the exact value', () => {
    // 0.875 / 7 = 0.125 exactly: Python prints 0.12 where toFixed prints 0.13
    const rows = dailies(['0.875', '-', '-', '-', '-', '-', '-'].map((v) => ({ daily_error_rate: v })));
    expect(weeklyMeans(rows).errorRate).toBe('0.12');
    const third = dailies(['1', '0', '0'].map((v) => ({ daily_imported: v })));
    expect(weeklyMeans(third).imported).toBe('0.33');
  });

  it('keeps negative means', () => {
    const rows = dailies(['-3', '1'].map((v) => ({ daily_updated: v })));
    expect(weeklyMeans(rows).updated).toBe('-1.00');
  });

  it('counts an empty field like pandas’ NaN: in the divisor, not the sum', () => {
    const rows = dailies(['', '4'].map((v) => ({ daily_invalid: v })));
    expect(weeklyMeans(rows).invalid).toBe('2.00');
  });
});

describe('dailyFigures', () => {
  it('copies the last row’s texts verbatim', () => {
    const last = row({
      daily_imported: '2000',
      daily_updated: '-',
      daily_invalid: '-4',
      daily_failed: '0',
      daily_error_rate: '50.0',
    });
    expect(dailyFigures(last)).toEqual({
      imported: '2000',
      updated: '-',
      invalid: '-4',
      failed: '0',
      errorRate: '50.0',
    });
  });
});

describe('summarySum = str(round(float(a) + float(b), 2))', () => {
  it.each([
    ['4', '4', '8.0'],
    ['-', '2.5', '2.5'],
    ['2.5', '-', '2.5'],
    ['-', '-', '-'],
    ['2000', '2000', '4000.0'],
    ['0.1', '0.2', '0.3'],
    ['0', '0', '0.0'],
    ['-3', '1', '-2.0'],
  ])('%s + %s → %s', (a, b, expected) => {
    expect(summarySum(a, b)).toBe(expected);
  });

  it(`agrees with CPython on ${reference.summary.length} pairs`, () => {
    for (const [a, b, expected] of reference.summary) expect(summarySum(a, b), `${a}+${b}`).toBe(expected);
  });

  it('todaysTotals adds imported+updated and invalid+failed', () => {
    const last = row({ daily_imported: '5', daily_updated: '3', daily_invalid: '-', daily_failed: '-' });
    expect(todaysTotals(last)).toEqual({ imports: '8.0', errors: '-' });
  });
});

describe('dates on the page', () => {
  it('shows the last row’s dates in Berlin time, - stays -', () => {
    const last = row({
      date: '2022-02-02 12:00:00+0100',
      last_contact: '2022-10-10 11:00:00+0200',
      last_start: '2022-02-02 00:00:00+0100',
      last_write: '2025-03-10T07:12:33.123+01:00',
      last_reject: '-',
    });
    expect(pageDates(last)).toEqual({
      lastCheck: '2022-02-02 12:00:00',
      lastContact: '2022-10-10 11:00:00',
      lastStart: '2022-02-02 00:00:00',
      lastWrite: '2025-03-10 07:12:33',
      lastReject: '-',
    });
  });

  it('online_since is the Berlin day of the first row', () => {
    expect(onlineSince(row({ date: '2024-12-31 23:30:00+00:00' }))).toBe('2025-01-01');
    expect(onlineSince(row({ date: '2025-06-30 21:59:00' }))).toBe('2025-06-30');
  });
});

describe('pageErrors', () => {
  it('keeps the first 20 rows and shows their timestamps in UTC', () => {
    const errors: ErrorRow[] = Array.from({ length: 25 }, (_, i) => ({
      timestamp: `2024-03-${String(30 - i).padStart(2, '0')}T07:12:33.123+01:00`,
      repeats: String(i + 1),
      content: `error ${i}`,
    }));
    const shown = pageErrors(errors);
    expect(shown).toHaveLength(20);
    expect(shown[0]).toEqual({ timestamp: '2024-03-30 06:12:33', repeats: '1', content: 'error 0' });
    expect(shown.at(-1)?.content).toBe('error 19');
    expect(errors[0]?.timestamp).toBe('2024-03-30T07:12:33.123+01:00');
  });
});

describe('resources', () => {
  const versions = [
    ['os', 'Ubuntu 22.04'],
    ['java', ''],
    ['dwh-j2ee', 'dwh-j2ee-1.5.1rc1'],
  ] as const;

  it('versions: missing file, missing key or empty value → -', () => {
    expect(versionValues([...versions])).toEqual({
      os: 'Ubuntu 22.04',
      kernel: '-',
      java: '-',
      'j2ee-impl': '-',
      apache2: '-',
      postgres: '-',
      'dwh-api': '-',
      'dwh-j2ee': 'dwh-j2ee-1.5.1rc1',
    });
    expect(resourceValue(undefined, 'os')).toBe('-');
  });

  it('lists other resources as key (value)', () => {
    expect(
      resourceList([
        ['r-base-core', '4.1.2'],
        ['r-cran-tidyverse', ''],
      ]),
    ).toBe('r-base-core (4.1.2), r-cran-tidyverse (-)');
    expect(resourceList([])).toBe('-');
    expect(resourceList(undefined)).toBe('-');
  });

  it('a duplicate key keeps its first place and its last value, like a JSON object', () => {
    const entries = [
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ] as const;
    expect(resourceList([...entries])).toBe('a (3), b (2)');
    expect(resourceValue([...entries], 'a')).toBe('3');
  });

  it('pageResources: the versions by key, the other resources listed; a missing resource shows -', () => {
    const shown = pageResources({ versions: [...versions], rscript: [['r-base-core', '4.1.2']] });
    expect(shown.versions['dwh-j2ee']).toBe('dwh-j2ee-1.5.1rc1');
    expect(shown.versions.kernel).toBe('-');
    expect(shown.scripts).toEqual({ rscript: 'r-base-core (4.1.2)', python: '-', 'import-scripts': '-' });
  });
});
