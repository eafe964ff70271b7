/*
 * Reading the ISO-like timestamps found in broker answers and in files of every version
 * (`2025-03-10 06:00:00.123000+00:00`, `2024-03-10T07:12:33.123+01:00`, `2022-01-01 12:00:00+0100`,
 * `2025-03-10T05:59:12.345Z`, naive `2025-03-08 06:00:00`), as dateutil reads them in the original.
 */

const TIMESTAMP =
  /^\s*(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz]|UTC|GMT)|([+-])(\d{2})(?::?(\d{2}))?)?\s*$/;

/**
 * The instant a timestamp text denotes, or `undefined` when it is not an ISO-like timestamp.
 * Without an offset the time is taken as UTC. Fractions beyond milliseconds are cut off
 * (never rounded), so comparisons "to the second" match the original's.
 */
export function instantOfTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', , sign, offH = '0', offM = '0'] = match;
  const millis = utcMillisOfDigits(y, mo, d, h, mi, s);
  const offsetHours = Number(offH);
  const offsetMinutes = Number(offM);
  if (millis === undefined || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(millis + Number(fraction.slice(0, 3).padEnd(3, '0')) - (sign === '-' ? -offset : offset));
}

/**
 * Milliseconds since the epoch of the digit groups of a date and a time read as UTC (years 0–99
 * stay in the first century), or `undefined` when a field is out of range or the day does not exist.
 * Both timestamp parsers (this one and status-rules' microsecond one) judge the calendar here.
 */
export function utcMillisOfDigits(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string,
  minute: string,
  second: string,
): number | undefined {
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && s <= 59)) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCDate() !== d) return undefined;
  return date.setUTCHours(h, mi, s, 0);
}
