import { describe, expect, it } from 'vitest';
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
    });
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
