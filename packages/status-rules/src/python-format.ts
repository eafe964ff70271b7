import { formatTwoDecimals } from '@broker-monitor/csv-store';
import { InvalidNumberError } from './errors.js';

// The stored pages and CSVs are compared with the Python version's output, so numbers are
// rounded and printed exactly as CPython does; JavaScript's toFixed/String differ on ties and layout.

/** Python's `round(x)` of a float: nearest integer, exact ties to the even one. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor; // exact: the fractional part of a double is representable
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Python's `round(x, 2)` of a float: the double nearest to the half-even rounded decimal. */
export function roundTo2(x: number): number {
  if (!Number.isFinite(x)) return x;
  return Number(formatTwoDecimals(x));
}

/** Python's `repr(x)` / `str(x)` of a float: `8.0`, `2.5`, `-0.0`, `1e+16`, `1e-05`. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr.
  const [mantissa = '', exponentText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const pointPosition = exponent + 1; // value = 0.<digits> × 10^pointPosition
  if (pointPosition > -4 && pointPosition <= 16) {
    if (pointPosition <= 0) return `${sign}0.${'0'.repeat(-pointPosition)}${digits}`;
    if (pointPosition >= digits.length)
      return `${sign}${digits}${'0'.repeat(pointPosition - digits.length)}.0`;
    return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expSign = exponent < 0 ? '-' : '+';
  return `${sign}${head}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

const DIGITS = String.raw`\d(?:_?\d)*`;
const PYTHON_FLOAT = new RegExp(
  String.raw`^[+-]?(?:(?:${DIGITS}\.(?:${DIGITS})?|\.${DIGITS}|${DIGITS})(?:[eE][+-]?${DIGITS})?|inf|infinity|nan)$`,
  'i',
);

const PLAIN_DECIMAL = /^-?\d{1,15}(?:\.\d{1,15})?$/;

/** Python's `float(text)`: surrounding whitespace, `_` between digits, `inf` and `nan` accepted. */
export function parsePythonFloat(text: string): number {
  // Nearly every stored number is a plain decimal, which Number reads as float() does.
  if (PLAIN_DECIMAL.test(text)) return Number(text);
  const trimmed = text.trim();
  if (!PYTHON_FLOAT.test(trimmed)) throw new InvalidNumberError(text);
  const unsigned = trimmed.replace(/^[+-]/, '').toLowerCase();
  const negative = trimmed.startsWith('-');
  if (unsigned === 'nan') return Number.NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') return negative ? -Infinity : Infinity;
  return Number(trimmed.replaceAll('_', ''));
}
