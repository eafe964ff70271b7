import { utcMillisOfDigits } from '@broker-monitor/csv-store/formats';
import { InvalidTimestampError } from './errors.js';
import { roundHalfEven } from './python-format.js';

/**
 * A parsed date text. `epochMicros` is the instant (naive texts taken as UTC); the
 * `local*` fields are the calendar date as written in the text, before any conversion.
 */
export interface Timestamp {
  readonly epochMicros: number;
  readonly localYear: number;
  readonly localMonth: number;
  readonly localDay: number;
}

// Every form found in the store: Python `str(datetime)` (`2025-03-10 06:00:00.123456+00:00`),
// older files (`2022-01-01 12:00:00+0100`), the broker's `Instant.toString()` and JAXB
// `xs:dateTime` (`…T07:12:33.123+01:00`, `Z`, 0–9 fraction digits), plain and compact dates.
const TIMESTAMP =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Parses an ISO-like date text; fractions beyond microseconds are cut off as dateutil does. */
export function parseTimestamp(text: string): Timestamp {
  return parseCollectorUtc(text) ?? parseAnyTimestamp(text);
}

const ZERO = 48;

/** The digits of text[from … from + count) as a number; NaN when one is no digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The form nearly every stored date has, read without a regular expression (a year of rows is
 * read three times per node and day judged): the collector's `2025-03-10 06:00:00[.123456]+00:00`
 * and the broker's `2025-03-10T06:00:00[.123]Z`. Anything else (or a field out of range) is left
 * to the general parser.
 */
function parseCollectorUtc(text: string): Timestamp | undefined {
  const length = text.length;
  if (length < 20 || text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':')
    return undefined;
  if (text[10] !== ' ' && text[10] !== 'T') return undefined;
  let zoneAt = 19;
  let micros = 0;
  if (text[19] === '.') {
    zoneAt = 20;
    while (
      zoneAt < length &&
      zoneAt < 26 &&
      text.charCodeAt(zoneAt) >= ZERO &&
      text.charCodeAt(zoneAt) <= ZERO + 9
    )
      zoneAt++;
    const digits = zoneAt - 20;
    if (digits !== 3 && digits !== 6) return undefined;
    micros = digitsAt(text, 20, digits) * (digits === 3 ? 1000 : 1);
  }
  const zone = text.slice(zoneAt);
  if (zone !== '+00:00' && zone !== 'Z') return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const inRange = year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= 28;
  if (!(inRange && hour < 24 && minute < 60 && second < 60)) {
    // Days 29–31, years before 1000 (and NaN) go to the general parser, which checks the calendar.
    return undefined;
  }
  return {
    epochMicros: Date.UTC(year, month - 1, day, hour, minute, second) * 1000 + micros,
    localYear: year,
    localMonth: month,
    localDay: day,
  };
}

function parseAnyTimestamp(text: string): Timestamp {
  const match = TIMESTAMP.exec(text.trim());
  if (match === null) throw new InvalidTimestampError(text);
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const millis = utcMillisOfDigits(y, mo, d, h, mi, s);
  if (millis === undefined) throw new InvalidTimestampError(text);
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  const offsetMinutes = parseOffsetMinutes(zone);
  if (offsetMinutes === undefined) throw new InvalidTimestampError(text);
  return {
    epochMicros: millis * 1000 + micros - offsetMinutes * 60_000_000,
    localYear: Number(y),
    localMonth: Number(mo),
    localDay: Number(d),
  };
}

function parseOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours >= 24 || minutes >= 60) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function epochMicrosOf(value: string | Date): number {
  return typeof value === 'string' ? parseTimestamp(value).epochMicros : value.getTime() * 1000;
}

/**
 * |a − b| in whole hours, rounded half to even as Python's `round(total_seconds / 3600)`
 * (72.5 h → 72, 73.5 h → 74). Texts are parsed with {@link parseTimestamp}.
 */
export function hoursBetween(a: string | Date, b: string | Date): number {
  return hoursBetweenMicros(epochMicrosOf(a), epochMicrosOf(b));
}

/** {@link hoursBetween} of two instants given as microseconds since the epoch. */
export function hoursBetweenMicros(a: number, b: number): number {
  // Same two correctly rounded divisions as timedelta.total_seconds() / 3600.
  return roundHalfEven(Math.abs(a - b) / 1e6 / 3600);
}

/** From 1996 on, Germany's clocks follow the EU rule that `berlinOffsetMinutes` applies. */
const EU_RULE_FROM = Date.UTC(1996, 0, 1);
const EU_RULE_UNTIL = Date.UTC(10000, 0, 1);

/** 01:00 UTC on the last Sunday of a month (0-based): when EU summer time starts or ends. */
function lastSundayOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** UTC+2 from the last Sunday of March to the last Sunday of October (01:00 UTC each), else UTC+1. */
function berlinOffsetMinutes(epochMillis: number): number {
  const year = new Date(epochMillis).getUTCFullYear();
  const summer = epochMillis >= lastSundayOneUtc(year, 2) && epochMillis < lastSundayOneUtc(year, 9);
  return summer ? 120 : 60;
}

/**
 * A formatter of instants (ms since the epoch) as `YYYY-MM-DD HH:MM:SS` on the wall clock of an IANA
 * time zone, by ICU's rules. Building one is costly (a DateTimeFormat): build it once, keep it.
 */
export function wallClockFormat(timeZone: string): (epochMillis: number) => string {
  // sv-SE writes exactly `YYYY-MM-DD HH:MM:SS`, and format() is some 3× faster than formatToParts.
  const format = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (epochMillis) => {
    const text = format.format(epochMillis);
    if (text.length === 19) return text;
    // Years before 1000 come without leading zeros; they are padded as the stored dates have them.
    const part: Record<string, string> = {};
    for (const { type, value } of format.formatToParts(epochMillis)) part[type] = value;
    return `${part.year?.padStart(4, '0')}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
  };
}

let historicBerlin: ((epochMillis: number) => string) | undefined;

/**
 * Instants before 1996 (older rules) ask ICU. It is not asked for every date because its time-zone
 * data costs a process some 10 MB of memory (pnpm bench, the reporter at 2000 nodes); a test holds
 * the rule to ICU for every hour from 1996 to 2040.
 */
function formatHistoricBerlin(epochMillis: number): string {
  historicBerlin ??= wallClockFormat('Europe/Berlin');
  return historicBerlin(epochMillis);
}

function formatBerlin(epochMillis: number): string {
  if (epochMillis < EU_RULE_FROM || epochMillis >= EU_RULE_UNTIL) return formatHistoricBerlin(epochMillis);
  const local = new Date(epochMillis + berlinOffsetMinutes(epochMillis) * 60_000);
  return local.toISOString().slice(0, 19).replace('T', ' ');
}

/** A date text in Europe/Berlin as `YYYY-MM-DD HH:MM:SS` (naive = UTC); `-` and empty stay `-`. */
export function berlinDateTime(text: string): string {
  if (isAbsent(text)) return '-';
  return formatBerlin(Math.floor(parseTimestamp(text).epochMicros / 1000));
}

/**
 * The instant a Europe/Berlin calendar day (`YYYY-MM-DD`) begins. Midnight is never skipped or
 * repeated there (the clocks change at 02:00 and 03:00), so the day's offset is that of 00:00 local.
 */
export function berlinDayStart(day: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(utcMidnight) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new InvalidTimestampError(day);
  // The offset at local midnight equals the one an hour before it in UTC+1 or UTC+2 terms.
  const guess = utcMidnight - 60 * 60_000;
  return new Date(utcMidnight - berlinOffsetMinutesOf(guess) * 60_000);
}

function berlinOffsetMinutesOf(epochMillis: number): number {
  if (epochMillis < EU_RULE_FROM || epochMillis >= EU_RULE_UNTIL) {
    const local = Date.parse(`${formatHistoricBerlin(epochMillis).replace(' ', 'T')}Z`);
    return Math.round((local - epochMillis) / 60_000);
  }
  return berlinOffsetMinutes(epochMillis);
}

/** The Europe/Berlin calendar day `YYYY-MM-DD` of a date text (the page's `online_since`). */
export function berlinDay(text: string): string {
  return formatBerlin(Math.floor(parseTimestamp(text).epochMicros / 1000)).slice(0, 10);
}

/** A date text in UTC as `YYYY-MM-DD HH:MM:SS` (the error table's timestamps). */
export function utcDateTime(text: string): string {
  const millis = Math.floor(parseTimestamp(text).epochMicros / 1000);
  return new Date(millis).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * `DD.MM.YYYY` of the calendar date as written in the text, without converting its zone,
 * as the original's `parser.parse(text).strftime('%d.%m.%Y')` does for the mails.
 */
export function germanDate(text: string): string {
  const { localYear, localMonth, localDay } = parseTimestamp(text);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(localDay)}.${pad(localMonth)}.${String(localYear).padStart(4, '0')}`;
}

/** `-` marks an absent value in the stats CSV; pandas would read an empty field as NaN. */
export function isAbsent(text: string): boolean {
  return text === '-' || text === '';
}
