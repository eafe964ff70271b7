/**
 * The date formats the AKTIN broker and the DWH put on the wire, so that emulated documents
 * look exactly like real ones.
 */

/** Java `Instant.toString()`: UTC with `Z`, fraction only when non-zero (3 digits for millis). */
export function formatInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * JAXB `xs:dateTime` of a `java.util.Date` as the DWH marshals it: local time of the JVM's
 * zone with its offset (`Z` for offset 0), milliseconds only when non-zero.
 */
export function formatXsDateTime(date: Date, timeZone: string): string {
  const parts = localFormat(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const year = part('year').padStart(4, '0');
  const millis = date.getUTCMilliseconds();
  const localAsUtc = Date.UTC(
    Number(year),
    Number(part('month')) - 1,
    Number(part('day')),
    Number(part('hour')),
    Number(part('minute')),
    Number(part('second')),
    millis,
  );
  const offsetMinutes = Math.round((localAsUtc - date.getTime()) / 60_000);
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
  const local = `${year}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}${fraction}`;
  return local + formatOffset(offsetMinutes);
}

// Building a DateTimeFormat is costly; emulated brokers format thousands of times per run.
const formats = new Map<string, Intl.DateTimeFormat>();

function localFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
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
