/**
 * The date formats the AKTIN broker and the DWH put on the wire, so that emulated documents
 * look exactly like real ones.
 */
import { wallClockFormat } from '@broker-monitor/status-rules';

/** Java `Instant.toString()`: UTC with `Z`, fraction only when non-zero (3 digits for millis). */
export function formatInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * JAXB `xs:dateTime` of a `java.util.Date` as the DWH marshals it: local time of the JVM's
 * zone with its offset (`Z` for offset 0), milliseconds only when non-zero.
 */
export function formatXsDateTime(date: Date, timeZone: string): string {
  const local = localFormat(timeZone)(date.getTime()).replace(' ', 'T');
  const millis = date.getUTCMilliseconds();
  const offsetMinutes = Math.round((Date.parse(`${local}Z`) + millis - date.getTime()) / 60_000);
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
  return local + fraction + formatOffset(offsetMinutes);
}

// Building a formatter is costly; emulated brokers format thousands of times per run.
const formats = new Map<string, (epochMillis: number) => string>();

function localFormat(timeZone: string): (epochMillis: number) => string {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = wallClockFormat(timeZone);
    formats.set(timeZone, format);
  }
  return format;
}

function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'Z';
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** RFC 1123 date as JAX-RS writes `Last-Modified` (second precision, GMT). */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}
