import { describe, expect, it } from 'vitest';
import {
  berlinDateTime,
  berlinDay,
  berlinDayStart,
  germanDate,
  hoursBetween,
  parseTimestamp,
  utcDateTime,
  wallClockFormat,
} from '../src/dates.js';
import { InvalidTimestampError } from '../src/errors.js';
import { reference } from './reference.js';

describe('parseTimestamp', () => {
  const instant = Date.parse('2022-01-01T11:00:00Z') * 1000;
  it.each([
    ['2022-01-01 12:00:00+0100', instant],
    ['2022-01-01 12:00:00+01:00', instant],
    ['2022-01-01T12:00:00+01', instant],
    ['2022-01-01 11:00:00', instant],
    ['2022-01-01T11:00:00Z', instant],
    ['2022-01-01t11:00:00z', instant],
    ['2022-01-01 11:00:00 UTC', instant],
    ['2022-01-01T06:00:00-05:00', instant],
    ['2022-01-01T11:00:00.5Z', instant + 500_000],
    ['2022-01-01T11:00:00.123456Z', instant + 123_456],
    ['2022-01-01T11:00:00.123456789Z', instant + 123_456],
    ['2022-01-01T11:00:00,25Z', instant + 250_000],
    ['2022-01-01T11:00Z', instant],
    ['20220101T110000Z', instant],
    ['2022-01-01', instant - 11 * 3_600_000_000],
    ['20220101', instant - 11 * 3_600_000_000],
    ['  2022-01-01T11:00:00Z\n', instant],
  ])('%j', (text, epochMicros) => {
    expect(parseTimestamp(text).epochMicros).toBe(epochMicros);
  });

  it.each([
    '',
    '-',
    'yesterday',
    '2022-13-01',
    '2022-02-30',
    '2022-01-01 25:00:00',
    '2022-01-01 12:60:00',
    '2022-01-01 12:00:00+0160',
    '2022-01-01 12:00:00+2500',
    '2022-01-01 12:00:00 CET',
  ])('rejects %j', (text) => {
    expect(() => parseTimestamp(text)).toThrow(InvalidTimestampError);
  });
});

describe('hoursBetween = round(|a − b| / 1 h), half to even', () => {
  it.each([
    ['2023-06-22T15:58:05Z', '2023-06-23T15:58:05Z', 24],
    ['2023-12-31T20:00:00-04:00', '2024-01-01T04:00:00+04:00', 0],
    ['2025-03-07T05:30:00Z', '2025-03-10T06:00:00Z', 72], // 72.5 → 72
    ['2025-03-07T04:30:00Z', '2025-03-10T06:00:00Z', 74], // 73.5 → 74
    ['2025-03-07T05:29:59.999999Z', '2025-03-10T06:00:00Z', 73],
  ])('%s … %s → %i', (a, b, hours) => {
    expect(hoursBetween(a, b)).toBe(hours);
    expect(hoursBetween(b, a)).toBe(hours);
  });

  it('takes a Date', () => {
    expect(hoursBetween('2025-03-07T05:30:00Z', new Date('2025-03-10T06:00:00.000Z'))).toBe(72);
  });

  it(`agrees with Python on ${reference.hours.length} pairs`, () => {
    for (const [a, b, hours] of reference.hours) expect(hoursBetween(a, b), `${a} ${b}`).toBe(hours);
  });
});

describe('display forms', () => {
  it.each([
    ['2022-01-01 12:00:00+0100', '2022-01-01 12:00:00'],
    ['2022-10-10 11:00:00+0200', '2022-10-10 11:00:00'],
    ['2023-06-22 00:00:00', '2023-06-22 02:00:00'],
    ['2023-12-22', '2023-12-22 01:00:00'],
    ['2024-03-31T00:59:59Z', '2024-03-31 01:59:59'],
    ['2024-03-31T01:00:00Z', '2024-03-31 03:00:00'],
    ['2024-10-27T00:59:59Z', '2024-10-27 02:59:59'],
    ['2024-10-27T01:00:00Z', '2024-10-27 02:00:00'],
    ['2023-06-23 10:05:49.999999+00:00', '2023-06-23 12:05:49'],
    ['-', '-'],
    ['', '-'],
    // Before 1996 summer time ended on the last Sunday of September; before 1980 there was none.
    ['1985-09-29T00:59:59Z', '1985-09-29 02:59:59'],
    ['1985-09-29T01:00:00Z', '1985-09-29 02:00:00'],
    ['1975-07-01T12:00:00Z', '1975-07-01 13:00:00'],
  ])('berlinDateTime(%j) = %s', (text, expected) => {
    expect(berlinDateTime(text)).toBe(expected);
  });

  it('follows ICU for every hour from 1996 to 2040 and every second around each change of the clocks', () => {
    const icu = wallClockFormat('Europe/Berlin');
    const instants: number[] = [];
    for (let t = Date.UTC(1996, 0, 1); t < Date.UTC(2041, 0, 1); t += 3_600_000) instants.push(t);
    for (let year = 1996; year <= 2040; year++) {
      for (const month of [2, 9]) {
        const lastDay = new Date(Date.UTC(year, month + 1, 0));
        const change = Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
        for (let t = change - 2000; t <= change + 2000; t += 1000) instants.push(t);
      }
    }
    const differing = instants.filter((t) => berlinDateTime(new Date(t).toISOString()) !== icu(t));
    expect(differing.map((t) => new Date(t).toISOString())).toEqual([]);
    expect(instants.length).toBeGreaterThan(390_000);
  });

  it('berlinDay is the Berlin calendar day', () => {
    expect(berlinDay('2024-12-31 23:30:00+00:00')).toBe('2025-01-01');
    expect(berlinDay('2024-07-01 21:59:59.999999+00:00')).toBe('2024-07-01');
  });

  it('utcDateTime and germanDate', () => {
    expect(utcDateTime('2023-12-31T20:00:00-04:00')).toBe('2024-01-01 00:00:00');
    expect(germanDate('2023-12-31T23:30:00-04:00')).toBe('31.12.2023');
    expect(germanDate('2024-03-10 01:00:00')).toBe('10.03.2024');
  });

  it(`agrees with dateutil/zoneinfo on ${reference.dates.length} texts`, () => {
    for (const { text, berlin, utc, german } of reference.dates) {
      expect([berlinDateTime(text), utcDateTime(text), germanDate(text)], text).toEqual([
        berlin,
        utc,
        german,
      ]);
    }
  });
});

describe('parseTimestamp of the collector’s and the broker’s UTC forms', () => {
  it('reads them as the general parser does (which the trailing blank sends them to)', () => {
    const start = Date.UTC(1999, 0, 1);
    for (let i = 0; i < 3000; i++) {
      const millis = start + Math.floor(((i * 7919) % 3000) * 11.3e8) + (i % 1000);
      const iso = new Date(millis).toISOString();
      const micros = String(i % 1000).padStart(3, '0');
      const texts = [
        `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00:00`,
        `${iso.slice(0, 10)} ${iso.slice(11, 23)}${micros}+00:00`,
        iso,
        iso.replace(/\.\d{3}Z$/, 'Z'),
      ];
      for (const text of texts) expect(parseTimestamp(text), text).toEqual(parseTimestamp(`${text} `));
    }
  });

  it('leaves what it does not read to the general parser', () => {
    expect(() => parseTimestamp('2025-02-30 06:00:00+00:00')).toThrow(InvalidTimestampError);
    expect(() => parseTimestamp('2025-13-01 06:00:00+00:00')).toThrow(InvalidTimestampError);
    expect(parseTimestamp('0099-03-10 06:00:00+00:00').localYear).toBe(99);
    expect(parseTimestamp('2024-02-29 06:00:00+00:00').localDay).toBe(29);
  });
});

describe('berlinDayStart', () => {
  it.each([
    ['2026-12-24', '2026-12-23T23:00:00.000Z'],
    ['2026-07-01', '2026-06-30T22:00:00.000Z'],
    // The days of the clock changes begin before them, at 00:00 local.
    ['2026-03-29', '2026-03-28T23:00:00.000Z'],
    ['2026-03-30', '2026-03-29T22:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'],
    ['2026-10-26', '2026-10-25T23:00:00.000Z'],
  ])('%s begins at %s', (day, instant) => {
    expect(berlinDayStart(day).toISOString()).toBe(instant);
    expect(berlinDateTime(instant)).toBe(`${day} 00:00:00`);
  });

  it('refuses what is no day', () => {
    expect(() => berlinDayStart('24.12.2026')).toThrow(InvalidTimestampError);
  });
});
