import { formatTwoDecimals as formatFixed2 } from '@broker-monitor/csv-store';
import { describe, expect, it } from 'vitest';
import { InvalidNumberError } from '../src/errors.js';
import { parsePythonFloat, pythonFloatRepr, roundHalfEven, roundTo2 } from '../src/python-format.js';
import { reference } from './reference.js';

describe("formatFixed2 = Python f'{x:.2f}'", () => {
  it.each([
    [12.5, '12.50'],
    [0.125, '0.12'], // exact tie → even; toFixed says 0.13
    [0.375, '0.38'],
    [3.125, '3.12'],
    [2.675, '2.67'], // binary value below the tie
    [1.005, '1.00'],
    [-0.001, '-0.00'],
    [-0, '-0.00'],
    [100, '100.00'],
    [1e21, '1000000000000000000000.00'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
  ])('%d → %s', (x, expected) => {
    expect(formatFixed2(x)).toBe(expected);
  });

  it(`agrees with CPython on ${reference.fixed2.length} values`, () => {
    const mismatches = reference.fixed2.filter(([x, expected]) => formatFixed2(x) !== expected);
    expect(mismatches).toEqual([]);
  });
});

describe('pythonFloatRepr = Python repr(float)', () => {
  it(`agrees with CPython on ${reference.repr.length} values`, () => {
    for (const [x, expected] of reference.repr) expect(pythonFloatRepr(x), String(x)).toBe(expected);
  });
  it('prints inf and nan like Python', () => {
    expect(pythonFloatRepr(Number.NEGATIVE_INFINITY)).toBe('-inf');
    expect(pythonFloatRepr(Number.NaN)).toBe('nan');
  });
});

describe('roundHalfEven = Python round(x)', () => {
  it(`agrees with CPython on ${reference.round.length} values`, () => {
    for (const [x, expected] of reference.round) expect(roundHalfEven(x), String(x)).toBe(expected);
  });
});

describe('roundTo2 = Python round(x, 2)', () => {
  it.each([
    [0.125, 0.12],
    [0.375, 0.38],
    [2.675, 2.67],
    [0.1 + 0.2, 0.3],
    [-0.001, -0],
  ])('%d → %d', (x, expected) => {
    expect(Object.is(roundTo2(x), expected)).toBe(true);
  });
});

describe('parsePythonFloat = Python float(text)', () => {
  it.each([
    ['12.50', 12.5],
    [' 7 ', 7],
    ['-0.00', -0],
    ['1_000', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['100.0', 100],
    ['inf', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%s → %d', (text, expected) => {
    expect(Object.is(parsePythonFloat(text), expected)).toBe(true);
  });

  it('reads nan', () => {
    expect(parsePythonFloat('NaN')).toBeNaN();
  });

  it.each(['', '-', 'abc', '1,5', '1__0', '_1', '0x10', '1e'])('rejects %j', (text) => {
    expect(() => parsePythonFloat(text)).toThrow(InvalidNumberError);
  });
});
