/*
 * Python's formatting and parsing rules, checked against tables that Python itself produced
 * (test/fixtures/python-reference.json: CPython 3.11 with dateutil 2.8; the CSV table from
 * CPython 3.13, whose csv module quotes a lone CR as SPEC requires).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  divideIntegers,
  formatRunTime,
  formatTwoDecimals,
  formatUtcDay,
  parsePythonInt,
} from '../src/python-format.js';
import { instantOfTimestamp } from '../src/timestamp.js';

interface PythonReference {
  fixed2: Array<[number, string]>;
  rates: Array<[string, string, string]>;
  quotients: Array<[string, string, string]>;
  pythonInt: Array<[string, string | null]>;
  dateutil: Array<[string, string | null]>;
}

const reference = JSON.parse(
  readFileSync(new URL('./fixtures/python-reference.json', import.meta.url), 'utf8'),
) as PythonReference;

describe('formatRunTime (Python str(datetime) in UTC)', () => {
  it.each([
    ['2025-03-10T06:00:00.000Z', '2025-03-10 06:00:00+00:00'],
    ['2025-03-10T06:00:00.123Z', '2025-03-10 06:00:00.123000+00:00'],
    ['2025-03-10T06:00:00.001Z', '2025-03-10 06:00:00.001000+00:00'],
    ['2024-02-29T23:59:59.999Z', '2024-02-29 23:59:59.999000+00:00'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01 00:00:00+00:00'],
    ['0999-12-31T23:59:59.500Z', '0999-12-31 23:59:59.500000+00:00'],
  ])('%s → %s', (iso, expected) => {
    expect(formatRunTime(new Date(iso))).toBe(expected);
  });

  it('writes the UTC day', () => {
    expect(formatUtcDay(new Date('2025-01-01T00:30:00+01:00'))).toBe('2024-12-31');
  });

  it('refuses an invalid date', () => {
    expect(() => formatRunTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("formatTwoDecimals (Python f'{x:.2f}')", () => {
  it.each([
    [3.125, '3.12'],
    [9.375, '9.38'],
    [2.675, '2.67'],
    [0.005, '0.01'],
    [-0, '-0.00'],
    [-0.001, '-0.00'],
    [100, '100.00'],
    [1e20, '100000000000000000000.00'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
    [Number.NaN, 'nan'],
  ])('%s → %s', (value, expected) => {
    expect(formatTwoDecimals(value)).toBe(expected);
  });

  it(`matches Python on ${reference.fixed2.length} doubles (ties, tiny, huge, random)`, () => {
    const mismatches = reference.fixed2.filter(([value, expected]) => formatTwoDecimals(value) !== expected);
    expect(mismatches).toEqual([]);
  });
});

describe('divideIntegers (Python int / int)', () => {
  it(`formats rates like f'{failures / total * 100:.2f}' on ${reference.rates.length} integer pairs`, () => {
    const mismatches = reference.rates.filter(
      ([failures, total, expected]) =>
        formatTwoDecimals(divideIntegers(BigInt(failures), BigInt(total)) * 100) !== expected,
    );
    expect(mismatches).toEqual([]);
  });

  it(`rounds the quotient exactly on ${reference.quotients.length} pairs up to 2^100`, () => {
    const mismatches = reference.quotients.filter(
      ([a, b, pythonRepr]) => !Object.is(divideIntegers(BigInt(a), BigInt(b)), Number(pythonRepr)),
    );
    expect(mismatches).toEqual([]);
  });

  it('rounds exactly beyond 2^53', () => {
    // Number(2^54 + 1) / Number(2^54 + 3) would be 1; the exact quotient is just below 1.
    expect(divideIntegers(2n ** 54n + 1n, 2n ** 54n + 3n)).toBe(1 - 2 ** -53);
    expect(Object.is(divideIntegers(0n, -(2n ** 60n)), -0)).toBe(true);
    expect(Object.is(divideIntegers(0n, -5n), -0)).toBe(true);
  });

  it('refuses a division by zero', () => {
    expect(() => divideIntegers(1n, 0n)).toThrow(RangeError);
  });
});

describe('parsePythonInt (Python int(text))', () => {
  it.each(reference.pythonInt)('int(%j) → %s', (text, expected) => {
    expect(parsePythonInt(text)?.toString() ?? null).toBe(expected);
  });
});

describe('instantOfTimestamp (dateutil, naive = UTC)', () => {
  const utcMicros = (date: Date) =>
    `${formatRunTime(date).slice(0, 19)}.${String(date.getUTCMilliseconds()).padStart(3, '0')}`;

  it.each(reference.dateutil)('%j → %s', (text, expected) => {
    const parsed = instantOfTimestamp(text);
    // Date keeps milliseconds: dateutil's microseconds are cut to milliseconds, never rounded
    expect(parsed === undefined ? null : utcMicros(parsed)).toBe(
      expected === null ? null : expected.slice(0, 23),
    );
  });
});

describe('compareCodePoints (Python str order)', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    ['\uffff', '😀', -1],
    ['😀', '\ue000', 1],
    ['2025-03-10T10:00:00Z', '2025-03-10T10:00:00+01:00', 1],
  ])('%j vs %j', (a, b, sign) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(sign);
  });
});
