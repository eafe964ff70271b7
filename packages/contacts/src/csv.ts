import { parse } from 'csv-parse/sync';
import { type Contact, contactsFromRows } from './contact.js';
import { ContactsFormatError } from './errors.js';

/**
 * Reads a DIR.CONTACTS table: UTF-8 CSV (a BOM is fine) with the header names of the
 * `E-Mail-Verteiler` page; the separator is `;` or `,`, whichever the header line uses more.
 * @param source the file path, named in errors
 * @throws ContactsFormatError for text that is not UTF-8, broken CSV or a missing column.
 */
export function parseContactsCsv(content: string | Uint8Array, source: string): Contact[] {
  const text = typeof content === 'string' ? content : decodeUtf8(content, source);
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const headerLine = withoutBom.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = count(headerLine, ';') >= count(headerLine, ',') ? ';' : ',';
  let rows: string[][];
  try {
    rows = parse(withoutBom, { delimiter, relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContactsFormatError(source, `not a readable CSV file: ${reason}`, [], { cause: error });
  }
  return contactsFromRows(rows, source);
}

function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ContactsFormatError(source, 'not UTF-8 text (save it as "CSV UTF-8")', [], { cause: error });
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
