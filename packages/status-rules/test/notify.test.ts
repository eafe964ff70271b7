import { describe, expect, it } from 'vitest';
import { noImportsMailDate, notificationAction, offlineMailDate, shouldNotify } from '../src/notify.js';
import { days, hoursAgo, NOW, row } from './rows.js';

describe('shouldNotify: round(hours) / 168 > weeks', () => {
  it.each([
    [undefined, 1, true],
    [hoursAgo(1), 1, false],
    [hoursAgo(168), 1, false],
    [hoursAgo(168.5), 1, false], // rounds to 168
    [hoursAgo(168.51), 1, true],
    [hoursAgo(169.5), 1, true], // rounds to 170
    [hoursAgo(192), 1, true],
    [hoursAgo(336), 2, false],
    [hoursAgo(337), 2, true],
    [hoursAgo(192), 0, true], // 0 → default 1 week
    [hoursAgo(192), undefined, true],
  ])('last sent %s, interval %s weeks → %s', (lastSent, weeks, expected) => {
    expect(shouldNotify(lastSent, NOW, weeks)).toBe(expected);
  });

  it('continues tracking entries the Python version wrote in Berlin time', () => {
    expect(shouldNotify('2025-03-03 07:00:00.123456+01:00', NOW, 1)).toBe(false); // 168 h
    expect(shouldNotify('2025-03-02 07:00:00.123456+01:00', NOW, 1)).toBe(true); // 192 h
  });

  it.each([
    [1, [0, 8, 16, 24]],
    [2, [0, 15, 30]],
  ])('daily runs with interval %i mail on days %j', (weeks, expected) => {
    const sentOn: number[] = [];
    let lastSent: string | undefined;
    for (let day = 0; day <= 30; day++) {
      const now = new Date(Date.UTC(2025, 0, 1 + day, 6, 0, (day * 17) % 60));
      if (notificationAction(true, lastSent, now, weeks) === 'send') {
        sentOn.push(day);
        lastSent = now.toISOString();
      }
    }
    expect(sentOn).toEqual(expected);
  });
});

describe('notificationAction', () => {
  it.each([
    [true, undefined, 'send'],
    [true, hoursAgo(200), 'send'],
    [true, hoursAgo(24), 'wait'],
    [false, hoursAgo(24), 'clear'],
    [false, hoursAgo(200), 'clear'],
    [false, undefined, 'none'],
  ] as const)('holds %s, last sent %s → %s', (holds, lastSent, expected) => {
    expect(notificationAction(holds, lastSent, NOW, 1)).toBe(expected);
  });
});

describe('mail dates', () => {
  it('offline: last contact as Berlin DD.MM.YYYY', () => {
    expect(offlineMailDate(row({ last_contact: '2024-03-10T23:30:00Z' }))).toBe('11.03.2024');
    expect(offlineMailDate(row({ last_contact: '-' }))).toBeUndefined();
  });

  it('no imports: the last row’s write in Berlin time', () => {
    const rows = days(2, () => ({ last_write: '2024-03-10T23:30:00Z' }));
    expect(noImportsMailDate(rows)).toBe('11.03.2024');
  });

  it('no imports: otherwise the last recorded write, as written', () => {
    const rows = days(3, (i) => ({
      last_write: ['2024-03-01T10:00:00Z', '2024-03-10T23:30:00Z', '-'][i] ?? '-',
    }));
    expect(noImportsMailDate(rows)).toBe('10.03.2024');
  });

  it('no imports: never written → undefined', () => {
    expect(noImportsMailDate(days(2, () => ({ last_write: '-' })))).toBeUndefined();
    expect(noImportsMailDate([])).toBeUndefined();
  });
});
