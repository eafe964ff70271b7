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
  let record: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let atRecordStart = true;
  let atFieldStart = true;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
    atRecordStart = true;
    atFieldStart = true;
  };
  while (i < text.length) {
    const char = text[i];
    if (char === '\n' || char === '\r') {
      if (!atRecordStart) endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    atRecordStart = false;
    if (char === ';') {
      record.push(field);
      field = '';
      atFieldStart = true;
      i += 1;
    } else if (char === '"' && atFieldStart) {
      const end = findClosingQuote(text, i + 1);
      field += text.slice(i + 1, end).replaceAll('""', '"');
      atFieldStart = false;
      i = end + 1;
    } else {
      atFieldStart = false;
      field += char;
      i += 1;
    }
  }
  if (!atRecordStart) endRecord();
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
