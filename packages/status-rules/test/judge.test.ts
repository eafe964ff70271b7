import { describe, expect, it } from 'vitest';
import { InvalidStatsFieldError } from '../src/errors.js';
import { judgeNode } from '../src/judge.js';
import { days, hoursAgo, NOW, row } from './rows.js';

describe('judgeNode', () => {
  it('gives nothing without a single stats row', () => {
    expect(judgeNode({ thisYear: [], lastYear: [] }, {}, NOW)).toBeUndefined();
  });

  it('judges a healthy node: page, summary and mails agree on one status', () => {
    const judged = judgeNode({ thisYear: days(10), lastYear: [] }, {}, NOW);
    expect(judged?.status).toEqual({ title: 'ONLINE', color: 'Green' });
    expect(judged?.page.status).toBe(judged?.status);
    expect(judged?.summary.status).toBe(judged?.status);
    expect(judged?.page.daily).toEqual({
      imported: '5',
      updated: '1',
      invalid: '0',
      failed: '0',
      errorRate: '0.00',
    });
    expect(judged?.page.means.imported).toBe('5.00');
    expect(judged?.summary).toMatchObject({
      lastCheck: judged?.page.lastCheck,
      importsToday: '6.0',
      errorsToday: '0.0',
      errorRateToday: '0.00',
      errorRate7d: '0.00',
      availability30: judged?.page.availability.days30,
      note: '',
    });
  });

  it('says how available the node was, and — where no day counts', () => {
    const healthy = days(10, (i) => ({
      last_contact: hoursAgo(24 * (9 - i) + 1),
      last_write: hoursAgo(24 * (9 - i) + 2),
    }));
    expect(judgeNode({ thisYear: healthy, lastYear: [] }, {}, NOW)?.page.availability).toEqual({
      days30: '100,0 %',
      days365: '100,0 %',
    });
    // One row 400 days ago: every day of the year since is a gap in monitoring, which does not count.
    const stale = [row({ date: hoursAgo(24 * 400), last_contact: hoursAgo(24 * 400 + 1) })];
    expect(judgeNode({ thisYear: [], lastYear: stale }, {}, NOW)?.page.availability).toEqual({
      days30: '—',
      days365: '—',
    });
  });

  it('notes an unusual import drop on the page and in the summary, and keeps the status', () => {
    const rows = days(29, (i) => ({ daily_imported: i === 28 ? '41' : '390', daily_updated: '0' }));
    const judged = judgeNode({ thisYear: rows, lastYear: [] }, {}, NOW);
    expect(judged?.page.importNote).toBe('Importe auffällig niedrig: 41 statt üblich 390');
    expect(judged?.summary.note).toBe('Importe auffällig niedrig: 41 statt üblich 390');
    expect(judged?.importDrop).toEqual({ today: 41, usual: 390 });
    expect(judged?.status.title).toBe('ONLINE');
  });

  it('notes no drop for a node that is OFFLINE: its status says more', () => {
    const rows = days(29, (i) => ({
      daily_imported: i === 28 ? '0' : '390',
      daily_updated: '0',
      last_contact: hoursAgo(100),
    }));
    const judged = judgeNode({ thisYear: rows, lastYear: [] }, {}, NOW);
    expect(judged?.status.title).toBe('OFFLINE');
    expect(judged?.page.importNote).toBeUndefined();
    expect(judged?.importDrop).toBeUndefined();
  });

  it('gives the chart a day for each of the last 365, gaps and `-` as null, restarts marked', () => {
    const rows = days(4, (i) => ({
      last_start: i < 2 ? '2025-01-01T00:00:00Z' : '2025-03-09T00:00:00Z',
      daily_error_rate: i === 3 ? '-' : '2.50',
    })).filter((_, i) => i !== 1);
    const chart = judgeNode({ thisYear: rows, lastYear: [] }, {}, NOW)?.page.days ?? [];
    expect(chart).toHaveLength(365);
    expect(chart.at(-1)).toEqual({ day: '2025-03-10', imports: 6, errorRate: null, restart: false });
    expect(chart.at(-2)).toEqual({ day: '2025-03-09', imports: 6, errorRate: 2.5, restart: true });
    expect(chart.at(-3)).toEqual({ day: '2025-03-08', imports: null, errorRate: null, restart: false });
    expect(chart[0]?.day).toBe('2024-03-11');
  });

  it('uses the mapping’s threshold and import days', () => {
    const history = { thisYear: days(5, () => ({ last_contact: hoursAgo(30) })), lastYear: [] };
    expect(judgeNode(history, {}, NOW)?.status.title).toBe('ONLINE');
    expect(judgeNode(history, { thresholdHoursFailure: 24 }, NOW)?.status.title).toBe('OFFLINE');
    expect(judgeNode(history, { consecutiveImportDays: 6 }, NOW)?.status.title).toBe('ONLINE');
  });

  it('judges the status with last year’s rows while this year has fewer than 3, the page on this year’s', () => {
    const lastYear = days(6, (i) => ({ date: hoursAgo(24 * (6 - i)), daily_imported: '0' }));
    const thisYear = [row({ daily_imported: '9' })];
    const judged = judgeNode({ thisYear, lastYear }, {}, NOW);
    expect(judged?.status.title).toBe('TESTING');
    expect(judged?.page.daily.imported).toBe('9');
    expect(judged?.page.means.imported).toBe('9.00');
    expect(judged?.page.onlineSince).toBe(NOW.toISOString().slice(0, 10));
  });

  it('shows last year’s page early in January, before this year’s first row', () => {
    const lastYear = days(4, (i) => ({ date: hoursAgo(24 * (4 - i)) }));
    const judged = judgeNode({ thisYear: [], lastYear }, {}, NOW);
    expect(judged?.page.lastCheck).not.toBe('-');
    expect(judged?.status.title).toBe('ONLINE');
  });

  it('names the last recorded contact and write in the mails, reaching back where the last row has none', () => {
    const thisYear = [
      row({ date: hoursAgo(48), last_contact: '2025-03-05T10:00:00Z', last_write: '2025-03-04T10:00:00Z' }),
      row({ date: hoursAgo(24), last_contact: '-', last_write: '-' }),
      row({ last_contact: '-', last_write: '-' }),
    ];
    const judged = judgeNode({ thisYear, lastYear: [] }, {}, NOW);
    expect(judged?.status.title).toBe('OFFLINE');
    expect(judged?.mail).toEqual({ lastContact: '05.03.2025', lastWrite: '04.03.2025' });
  });

  it('has no mail dates for a node that never had contact or an import', () => {
    const thisYear = days(3, () => ({ last_contact: '-', last_write: '-' }));
    expect(judgeNode({ thisYear, lastYear: [] }, {}, NOW)?.mail).toEqual({
      lastContact: undefined,
      lastWrite: undefined,
    });
  });
});

describe('judgeNode on a malformed field', () => {
  it('names the year, the row and the column of a value the rules cannot read', () => {
    const thisYear = days(10, (i) => (i === 9 ? { daily_error_rate: 'xyz' } : {}));
    let thrown: unknown;
    try {
      judgeNode({ thisYear, lastYear: [] }, {}, NOW);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidStatsFieldError);
    expect(thrown).toMatchObject({ year: 2025, index: 9, column: 'daily_error_rate' });
    expect((thrown as Error).message).toBe('column daily_error_rate: not a number: "xyz"');
    expect(() =>
      judgeNode(
        { thisYear, lastYear: [] },
        {},
        NOW,
        (year, index) => `7_stats_${year}.csv: line ${index + 2}`,
      ),
    ).toThrow('7_stats_2025.csv: line 11, column daily_error_rate: not a number: "xyz"');
  });

  it('finds a broken date in last year’s rows too', () => {
    const lastYear = days(2, (i) => (i === 0 ? { date: 'gestern' } : {}));
    expect(() => judgeNode({ thisYear: [], lastYear }, {}, NOW)).toThrow(
      expect.objectContaining({ year: 2024, index: 0, column: 'date' }),
    );
  });
});
