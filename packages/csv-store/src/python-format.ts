/*
 * Python's formatting and parsing rules that the store files depend on, implemented exactly:
 * the Python version wrote years of data with them and reports compare against those bytes.
 */

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/**
 * A point in time as Python's `str(datetime)` writes a UTC datetime with tzinfo:
 * `2025-03-10 06:00:00.123000+00:00`, without the fraction when it is zero.
 * Date has milliseconds, so the microseconds are milliseconds × 1000.
 */
export function formatRunTime(time: Date): string {
  const ms = time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('formatRunTime: invalid date');
  const day = `${pad(time.getUTCFullYear(), 4)}-${pad(time.getUTCMonth() + 1, 2)}-${pad(time.getUTCDate(), 2)}`;
  const clock = `${pad(time.getUTCHours(), 2)}:${pad(time.getUTCMinutes(), 2)}:${pad(time.getUTCSeconds(), 2)}`;
  const millis = time.getUTCMilliseconds();
  return `${day} ${clock}${millis === 0 ? '' : `.${pad(millis, 3)}000`}+00:00`;
}

/** The UTC calendar day of a time as `YYYY-MM-DD` (Python's `strftime('%Y-%m-%d')` after `astimezone(UTC)`). */
export function formatUtcDay(time: Date): string {
  return formatRunTime(time).slice(0, 10);
}

/**
 * Python's `f'{value:.2f}'`: the exact binary value rounded half to even to two decimals
 * (3.125 → `3.12`, 2.675 → `2.67`), the sign kept for negative values and -0 (`-0.00`).
 * JavaScript's toFixed rounds differently, hence the exact expansion with BigInt.
 */
export function formatTwoDecimals(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const negative = high >>> 31 === 1;
  const biasedExponent = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exponent = -1074;
  if (biasedExponent !== 0) {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }
  // |value| = mantissa · 2^exponent; hundredths = that · 100 rounded half to even
  let hundredths: bigint;
  if (exponent >= 0) {
    hundredths = (mantissa << BigInt(exponent)) * 100n;
  } else {
    const numerator = mantissa * 100n;
    const denominator = 1n << BigInt(-exponent);
    hundredths = numerator / denominator;
    const twiceRemainder = (numerator % denominator) * 2n;
    if (twiceRemainder > denominator || (twiceRemainder === denominator && (hundredths & 1n) === 1n)) {
      hundredths += 1n;
    }
  }
  const fraction = (hundredths % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${hundredths / 100n}.${fraction}`;
}

const TWO_POW_53 = 2n ** 53n;

/**
 * Python's `a / b` on two integers: the exactly rounded quotient as a double
 * (plain double division when both fit in 53 bits, as CPython does). Throws on b = 0.
 */
export function divideIntegers(a: bigint, b: bigint): number {
  if (b === 0n) throw new RangeError('division by zero');
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  if (absA <= TWO_POW_53 && absB <= TWO_POW_53) return Number(a) / Number(b);
  const negative = a < 0n !== b < 0n;
  // Scale so that the integer quotient has at least 55 bits; a sticky bit for a non-zero
  // remainder makes BigInt → Number's round-half-even conversion round the true quotient.
  const shift = 55 - (absA.toString(2).length - absB.toString(2).length);
  const scaledA = shift >= 0 ? absA << BigInt(shift) : absA;
  const scaledB = shift >= 0 ? absB : absB << BigInt(-shift);
  let quotient = scaledA / scaledB;
  if (scaledA % scaledB !== 0n) quotient |= 1n;
  const magnitude = Number(quotient) * 2 ** -shift;
  return negative ? -magnitude : magnitude;
}

// Python's int() skips these around the digits (ASCII whitespace and Unicode spaces, not U+001C–U+001F).
const INT_SPACE =
  '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*';
const PYTHON_INT = new RegExp(`^${INT_SPACE}([+-]?)(\\p{Nd}+(?:_\\p{Nd}+)*)${INT_SPACE}$`, 'u');
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** The value of a Unicode decimal digit: Nd characters come in runs of ten starting at zero. */
function digitValue(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  let start = code;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return (code - start) % 10;
}

/** Python's `int(text)` for base 10: the value, or `undefined` where Python raises ValueError. */
export function parsePythonInt(text: string): bigint | undefined {
  const match = PYTHON_INT.exec(text);
  if (!match) return undefined;
  const [, sign = '', digits = ''] = match;
  let ascii = '';
  for (const char of digits) {
    if (char !== '_') ascii += String(digitValue(char));
  }
  const value = BigInt(ascii);
  return sign === '-' ? -value : value;
}

/** Orders strings by code point, as Python compares `str` (JavaScript's `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xHigh = x >= 0xd800 && x <= 0xdfff;
    const yHigh = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a code point above U+FFFF, so it sorts after every other BMP unit.
    if (xHigh !== yHigh) return xHigh ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
