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
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetHours = Number(offH);
  const offsetMinutes = Number(offM);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(date.getTime() - (sign === '-' ? -offset : offset));
}
