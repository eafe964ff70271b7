/*
 * The `;`-separated files as the original writes them (pandas `to_csv` through Python's csv
 * module: QUOTE_MINIMAL, `"` doubled, lines ending in `\n`) and reads them (pandas `read_csv`).
 */

const NEEDS_QUOTES = /[;"\r\n]/;

function formatField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Header and rows as Python's csv writer with `;` and `\n` writes them. */
export function formatCsv(header: readonly string[], rows: Iterable<readonly string[]>): string {
  let text = `${header.map(formatField).join(';')}\n`;
  for (const row of rows) text += `${row.map(formatField).join(';')}\n`;
  return text;
}

/** Thrown by parseCsv; the caller turns it into an error that names the file. */
export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
}

const BOM = 0xfeff;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SEMICOLON = 0x3b;

/**
 * Records of a `;`-separated text, read leniently as pandas' C parser does: `\n`, `\r\n` or
 * `\r` end a record, empty lines are skipped, `""` inside quotes is one quote, text after a
 * closing quote continues the field, a quote inside an unquoted field is a plain character.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  forEachCsvRecord(text, (record) => records.push(record));
  return records;
}

/**
 * `parseCsv`, handing each record over as soon as it is read, so a caller can check and convert
 * it at once instead of keeping an array of all raw records.
 */
export function forEachCsvRecord(text: string, onRecord: (record: string[]) => void): void {
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  while (i < text.length) {
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      i += 1;
      continue;
    }
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text.charCodeAt(i) === QUOTE) {
        const closing = findClosingQuote(text, i + 1);
        field = text.slice(i + 1, closing).replaceAll('""', '"');
        i = closing + 1;
      }
      const end = fieldEnd(text, i);
      record.push(end === i ? field : field + text.slice(i, end));
      i = end;
      if (text.charCodeAt(i) !== SEMICOLON) break;
      i += 1;
    }
    onRecord(record);
    i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
  }
}

/**
 * Where the field starting at `from` ends: the next `;`, `\n` or `\r`, or the end of the text.
 * A character loop, not a RegExp: `exec` builds a match array per field, and a year of stats
 * rows has thousands of fields per file.
 */
function fieldEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === SEMICOLON || code === LF || code === CR) return i;
  }
  return text.length;
}

function findClosingQuote(text: string, from: number): number {
  let i = from;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) throw new CsvSyntaxError('a quoted field is not closed before the end of the file');
    if (text.charCodeAt(quote + 1) !== QUOTE) return quote;
    i = quote + 2;
  }
}
