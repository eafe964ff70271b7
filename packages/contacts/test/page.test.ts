import { describe, expect, it } from 'vitest';
import { type Contact, ContactsFormatError, parseContactsPage } from '../src/index.js';
import { HEADER, ROWS, type Row, tdTable, thTable } from './tables.js';

const expected = (row: Row): Contact => ({
  nodeId: row[0],
  role: row[1],
  title: row[2],
  firstName: row[3],
  lastName: row[4],
  email: row[5],
  mainContact: row[6] !== '',
  unsubscribed: row[7] !== '',
});

describe('parseContactsPage', () => {
  it.each([
    ['<th> header cells', thTable()],
    ['a first row of <td> cells', tdTable()],
    [
      'a <thead>',
      thTable().replace('<tbody><tr>', '<thead><tr>').replace('</th></tr>', '</th></tr></thead><tbody>'),
    ],
  ])('reads a table with %s', (_form, html) => {
    expect(parseContactsPage(html)).toEqual(ROWS.map(expected));
  });

  it('matches header names across no-break spaces, line breaks and markup', () => {
    const header = HEADER.map((name) =>
      name
        .replace('Ansprechpartner für', 'Ansprechpartner&nbsp;f&uuml;r')
        .replace('von Monitor', 'von<br/>\n  Monitor')
        .replace('Node ID', ' <span>Node</span>  ID '),
    );
    expect(parseContactsPage(thTable(ROWS, header))).toEqual(ROWS.map(expected));
  });

  it('decodes entities and keeps text verbatim', () => {
    const row: Row = ['7', 'IT', '', 'J&uuml;rgen', 'M&amp;M &lt;script&gt;', 'j@x.de', '', ''];
    const [contact] = parseContactsPage(tdTable([row]));
    expect(contact).toMatchObject({ firstName: 'Jürgen', lastName: 'M&M <script>' });
  });

  it('keeps words of separate paragraphs apart', () => {
    const html = tdTable([['3', 'IT', '', 'Anna', 'Arzt', 'a@x.de', '', '']]).replace(
      '<p>Anna</p>',
      '<p>Anna</p><p>Maria</p>',
    );
    expect(parseContactsPage(html)[0]?.firstName).toBe('Anna Maria');
  });

  it('repeats cells that span rows and columns', () => {
    const head = `<tr>${HEADER.map((name) => `<th>${name}</th>`).join('')}</tr>`;
    const html =
      `<table><tbody>${head}` +
      '<tr><td rowspan="2">5</td><td>IT</td><td colspan="1"></td><td>Ida</td><td>Eins</td><td>ida@x.de</td><td></td><td></td></tr>' +
      '<tr><td>IT</td><td></td><td colspan="2">Zwei</td><td>zwei@x.de</td><td></td><td></td></tr>' +
      '</tbody></table>';
    expect(parseContactsPage(html)).toEqual([
      expected(['5', 'IT', '', 'Ida', 'Eins', 'ida@x.de', '', '']),
      expected(['5', 'IT', '', 'Zwei', 'Zwei', 'zwei@x.de', '', '']),
    ]);
  });

  it('reads only the first table, and not the rows of a table nested in a cell', () => {
    const nested = '<table><tbody><tr><td>inner</td><td>table</td></tr></tbody></table>';
    const html =
      tdTable(ROWS.slice(0, 1)).replace('<p>Anna</p>', `<p>Anna</p>${nested}`) + tdTable(ROWS.slice(1));
    const contacts = parseContactsPage(html);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]?.firstName).toBe('Anna inner table');
  });

  it('skips empty rows', () => {
    const html = tdTable([ROWS[0] as Row, ['', '', '', '', '', '', '', ''], ROWS[3] as Row]);
    expect(parseContactsPage(html)).toHaveLength(2);
  });

  it('names the page and every missing column', () => {
    const header = HEADER.filter((name) => name !== 'Kontakt' && name !== 'Hauptansprechpartner?');
    const html = thTable([], header);
    expect(() => parseContactsPage(html)).toThrow(ContactsFormatError);
    try {
      parseContactsPage(html);
    } catch (error) {
      const failure = error as ContactsFormatError;
      expect(failure.source).toBe('E-Mail-Verteiler');
      expect(failure.missingColumns).toEqual(['Kontakt', 'Hauptansprechpartner?']);
      expect(failure.message).toMatch(
        /^E-Mail-Verteiler: missing column "Kontakt", "Hauptansprechpartner\?"/,
      );
    }
  });

  it('does not accept a header with a changed name', () => {
    const header = HEADER.map((name) => (name === 'Titel' ? 'Titel:' : name));
    expect(() => parseContactsPage(tdTable(ROWS, header), 'Kontakte')).toThrow(
      /^Kontakte: missing column "Titel"/,
    );
  });

  it('fails clearly without a table or with an empty one', () => {
    expect(() => parseContactsPage('<p>Verteiler folgt</p>')).toThrow(/^E-Mail-Verteiler: no table found$/);
    expect(() => parseContactsPage('<table></table>')).toThrow(/the contacts table is empty/);
  });
});
