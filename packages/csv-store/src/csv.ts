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

/**
 * Records of a `;`-separated text, read leniently as pandas' C parser does: `\n`, `\r\n` or
 * `\r` end a record, empty lines are skipped, `""` inside quotes is one quote, text after a
 * closing quote continues the field, a quote inside an unquoted field is a plain character.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const fieldEnd = /[;\r\n]/g;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    if (text[i] === '\n' || text[i] === '\r') {
      i += 1;
      continue;
    }
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const closing = findClosingQuote(text, i + 1);
        field = text.slice(i + 1, closing).replaceAll('""', '"');
        i = closing + 1;
      }
      fieldEnd.lastIndex = i;
      const end = fieldEnd.exec(text)?.index ?? text.length;
      record.push(field + text.slice(i, end));
      i = end;
      if (text[i] !== ';') break;
      i += 1;
    }
    records.push(record);
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
  }
  return records;
}

function findClosingQuote(text: string, from: number): number {
  let i = from;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) throw new CsvSyntaxError('a quoted field is not closed before the end of the file');
    if (text[quote + 1] !== '"') return quote;
    i = quote + 2;
  }
}
