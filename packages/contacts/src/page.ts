import { Parser } from 'htmlparser2';
import { type Contact, contactsFromRows } from './contact.js';
import { ContactsFormatError } from './errors.js';

/** Title of the Confluence page that holds the contacts table. */
export const CONTACTS_PAGE_TITLE = 'E-Mail-Verteiler';

interface Cell {
  text: string;
  readonly rowspan: number;
  readonly colspan: number;
}

// Elements whose edges separate words inside a cell (lxml would glue `<p>Dr.</p><p>Max</p>`).
const WORD_BREAKS = new Set(['br', 'p', 'div', 'li', 'tr', 'td', 'th']);

/**
 * Reads the contacts from the storage-format body of the `E-Mail-Verteiler` page: its first
 * table, whose first row is the header — `<th>` cells (what the original e-mail service
 * expects) or `<td>` cells (what the original reporter expects). Row and column spans are
 * expanded as pandas' read_html does.
 * @throws ContactsFormatError without a table or when a column is missing.
 */
export function parseContactsPage(storageHtml: string, source: string = CONTACTS_PAGE_TITLE): Contact[] {
  const rows = firstTableRows(storageHtml);
  if (rows === undefined) throw new ContactsFormatError(source, 'no table found');
  return contactsFromRows(expandSpans(rows), source);
}

function firstTableRows(html: string): Cell[][] | undefined {
  let depth = 0; // open <table> elements once the first table has started
  let started = false;
  let done = false;
  const rows: Cell[][] = [];
  let row: Cell[] | undefined;
  let cell: Cell | undefined;
  const breakWord = (name: string) => {
    if (cell !== undefined && WORD_BREAKS.has(name)) cell.text += ' ';
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (done) return;
        if (name === 'table') {
          started = true;
          depth++;
        } else if (started && depth === 1 && name === 'tr') {
          row = [];
          rows.push(row);
          cell = undefined;
        } else if (started && depth === 1 && (name === 'td' || name === 'th') && row !== undefined) {
          cell = { text: '', rowspan: span(attributes.rowspan), colspan: span(attributes.colspan) };
          row.push(cell);
        } else {
          breakWord(name);
        }
      },
      ontext(text) {
        if (!done && cell !== undefined) cell.text += text;
      },
      onclosetag(name) {
        if (done || !started) return;
        if (name === 'table') {
          depth--;
          done = depth === 0;
        } else if (depth === 1 && (name === 'td' || name === 'th')) {
          cell = undefined;
        } else if (depth === 1 && name === 'tr') {
          row = undefined;
          cell = undefined;
        } else {
          breakWord(name);
        }
      },
    },
    { decodeEntities: true, recognizeCDATA: true, recognizeSelfClosing: true },
  );
  parser.end(html);
  return started ? rows : undefined;
}

// HTML caps colspan at 1000 and rowspan at 65534; a larger value must not make us loop.
function span(value: string | undefined): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n > 1 ? Math.min(n, 1000) : 1;
}

/** Repeats a cell's text into every row and column it spans. */
function expandSpans(rows: readonly Cell[][]): string[][] {
  type Carried = { readonly column: number; readonly text: string; readonly rowsLeft: number };
  let carried: Carried[] = [];
  const result: string[][] = [];
  for (const row of rows) {
    const texts: string[] = [];
    const next: Carried[] = [];
    let c = 0;
    const takeCarried = () => {
      const entry = carried[c++];
      if (entry === undefined) return;
      texts.push(entry.text);
      if (entry.rowsLeft > 1) next.push({ ...entry, rowsLeft: entry.rowsLeft - 1 });
    };
    for (const cell of row) {
      while (c < carried.length && (carried[c]?.column ?? Infinity) <= texts.length) takeCarried();
      for (let i = 0; i < cell.colspan; i++) {
        if (cell.rowspan > 1)
          next.push({ column: texts.length, text: cell.text, rowsLeft: cell.rowspan - 1 });
        texts.push(cell.text);
      }
    }
    while (c < carried.length) takeCarried();
    result.push(texts);
    carried = next;
  }
  return result;
}
