import { ContactsFormatError } from './errors.js';

/** The header names of the `E-Mail-Verteiler` table, matched exactly (after whitespace is collapsed). */
export const CONTACT_COLUMNS = {
  nodeId: 'Node ID',
  role: 'Ansprechpartner für',
  title: 'Titel',
  firstName: 'Vorname',
  lastName: 'Nachname',
  email: 'Kontakt',
  mainContact: 'Hauptansprechpartner?',
  unsubscribed: 'Abgemeldet von Monitor-Benachrichtigungen?',
} as const;

/** `Ansprechpartner für` values the tools act on. */
export const ROLE_IT = 'IT';
export const ROLE_EMERGENCY_DEPARTMENT = 'Notaufnahme';

/** One row of the contacts table, cell texts with whitespace collapsed. */
export interface Contact {
  /** As written, e.g. `12`; matched to a node id by numeric value. */
  readonly nodeId: string;
  /** `IT`, `Notaufnahme`, or whatever the row says. */
  readonly role: string;
  readonly title: string;
  readonly firstName: string;
  readonly lastName: string;
  /** The e-mail address (`Kontakt`). */
  readonly email: string;
  /** `Hauptansprechpartner?` is not empty. */
  readonly mainContact: boolean;
  /** `Abgemeldet von Monitor-Benachrichtigungen?` is not empty. */
  readonly unsubscribed: boolean;
}

/** Collapses runs of whitespace (incl. no-break spaces) to one space and trims, as pandas' read_html does. */
export function cellText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

type Field = keyof typeof CONTACT_COLUMNS;

/** Turns table rows (first row = header) into contacts; rows with only empty cells are skipped. */
export function contactsFromRows(rows: readonly (readonly string[])[], source: string): Contact[] {
  const [header, ...body] = rows;
  if (header === undefined) throw new ContactsFormatError(source, 'the contacts table is empty');
  const names = header.map(cellText);
  const index = {} as Record<Field, number>;
  const missing: string[] = [];
  for (const [field, name] of Object.entries(CONTACT_COLUMNS) as Array<[Field, string]>) {
    index[field] = names.indexOf(name);
    if (index[field] === -1) missing.push(name);
  }
  if (missing.length > 0) {
    const list = missing.map((name) => `"${name}"`).join(', ');
    const found = names.map((name) => `"${name}"`).join(', ');
    throw new ContactsFormatError(source, `missing column ${list} (header row: ${found})`, missing);
  }
  const contacts: Contact[] = [];
  for (const row of body) {
    const cells = row.map(cellText);
    if (cells.every((cell) => cell === '')) continue;
    const cell = (field: Field) => cells[index[field]] ?? '';
    contacts.push({
      nodeId: cell('nodeId'),
      role: cell('role'),
      title: cell('title'),
      firstName: cell('firstName'),
      lastName: cell('lastName'),
      email: cell('email'),
      mainContact: cell('mainContact') !== '',
      unsubscribed: cell('unsubscribed') !== '',
    });
  }
  return contacts;
}
