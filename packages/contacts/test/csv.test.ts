import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContactsFormatError,
  mailRecipients,
  parseContactsCsv,
  parseContactsPage,
  readContactsFile,
} from '../src/index.js';
import { HEADER, ROWS, thTable } from './tables.js';

function csv(separator: string, rows: string[][] = ROWS, header: string[] = HEADER, eol = '\n'): string {
  const quote = (cell: string) => (/[;,"\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return [header, ...rows].map((row) => row.map(quote).join(separator)).join(eol) + eol;
}

describe('parseContactsCsv', () => {
  const fromPage = parseContactsPage(thTable());

  it.each([
    ['; separated', csv(';')],
    [', separated', csv(',')],
    ['with a BOM', `\uFEFF${csv(';')}`],
    ['with CRLF line ends', csv(',', ROWS, HEADER, '\r\n')],
    ['with blank lines', csv(';').replace('\n', '\n\n')],
    ['with a decomposed ü in the header', csv(';').replace('für', 'fu\u0308r')],
  ])('reads the same contacts as the page, %s', (_form, text) => {
    expect(parseContactsCsv(text, 'contacts.csv')).toEqual(fromPage);
  });

  it('reads UTF-8 bytes and quoted fields', () => {
    const rows = [['3', 'IT', '', 'Jürgen', 'Meier; Schulz, "MS"', 'j@x.de', '', '']];
    const bytes = new TextEncoder().encode(csv(';', rows));
    expect(parseContactsCsv(bytes, 'contacts.csv')[0]).toMatchObject({
      firstName: 'Jürgen',
      lastName: 'Meier; Schulz, "MS"',
    });
  });

  it('tolerates short rows', () => {
    const text = `${HEADER.join(';')}\n3;IT;;Ida;Eins;ida@x.de\n`;
    const [contact] = parseContactsCsv(text, 'contacts.csv');
    expect(contact).toMatchObject({ email: 'ida@x.de', mainContact: false, unsubscribed: false });
    expect(mailRecipients(parseContactsCsv(text, 'contacts.csv'), '3')).toEqual(['ida@x.de']);
  });

  it('rejects Latin-1 bytes, naming the file', () => {
    const latin1 = Uint8Array.from(Buffer.from(csv(';'), 'latin1'));
    expect(() => parseContactsCsv(latin1, '/etc/aktin/contacts.csv')).toThrow(
      /^\/etc\/aktin\/contacts\.csv: not UTF-8 text/,
    );
  });

  it('names the file and the missing column', () => {
    const header = HEADER.map((name) => (name === 'Nachname' ? 'Name' : name));
    const text = csv(';', ROWS, header);
    expect(() => parseContactsCsv(text, 'contacts.csv')).toThrow(ContactsFormatError);
    expect(() => parseContactsCsv(text, 'contacts.csv')).toThrow(/^contacts\.csv: missing column "Nachname"/);
  });

  it('reports broken CSV as a ContactsFormatError', () => {
    const text = `${HEADER.join(';')}\n1;"IT;;A;B;c@x.de;;\n`;
    expect(() => parseContactsCsv(text, 'contacts.csv')).toThrow(/^contacts\.csv: not a readable CSV file/);
  });

  it('fails on an empty file', () => {
    expect(() => parseContactsCsv('', 'contacts.csv')).toThrow(/contacts\.csv: the contacts table is empty/);
  });
});

describe('readContactsFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'contacts-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the DIR.CONTACTS file', async () => {
    const path = join(dir, 'kontakte.csv');
    await writeFile(path, `\uFEFF${csv(';')}`, 'utf8');
    expect(mailRecipients(await readContactsFile(path), '1')).toEqual(['anna@klinik1.de', 'dora@klinik1.de']);
  });

  it('names a file it cannot read', async () => {
    const path = join(dir, 'missing.csv');
    await expect(readContactsFile(path)).rejects.toThrow(ContactsFormatError);
    await expect(readContactsFile(path)).rejects.toThrow(
      new RegExp(`^${path}: cannot read the contacts file`),
    );
  });
});
