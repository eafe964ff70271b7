/** Builders for `E-Mail-Verteiler` storage bodies as Confluence writes them. */
import { contactColumns } from '@broker-monitor/confluence-emulator';

/** The team's header, as the emulated Confluence page has it. */
export const HEADER: string[] = [...contactColumns];

/** [Node ID, Ansprechpartner für, Titel, Vorname, Nachname, Kontakt, Haupt?, Abgemeldet?] */
export type Row = [string, string, string, string, string, string, string, string];

export const ROWS: Row[] = [
  ['1', 'Notaufnahme', 'Dr.', 'Anna', 'Arzt', 'anna@klinik1.de', 'x', ''],
  ['1', 'Notaufnahme', '', 'Bernd', 'Pflege', 'bernd@klinik1.de', '', ''],
  ['1', 'Notaufnahme', 'Prof.', 'Clara', 'Chef', 'clara@klinik1.de', 'ja', 'ja'],
  ['1', 'IT', '', 'Dora', 'Admin', 'dora@klinik1.de', '', ''],
  ['1', 'IT', '', 'Emil', 'Ex', 'emil@klinik1.de', '', 'seit 2024'],
  ['2', 'IT', '', 'Fritz', 'Fremd', 'fritz@klinik2.de', 'x', ''],
];

const td = (text: string) => `<td><p>${text}</p></td>`;
const mail = (address: string) => `<a href="mailto:${address}">${address}</a>`;

function bodyRows(rows: Row[]): string {
  return rows
    .map((row) => `<tr>${row.map((cell, i) => td(i === 5 && cell !== '' ? mail(cell) : cell)).join('')}</tr>`)
    .join('');
}

/** Header of `<th>` cells, as the original e-mail service expects. */
export function thTable(rows: Row[] = ROWS, header: string[] = HEADER): string {
  const head = `<tr>${header.map((name) => `<th><p><strong>${name}</strong></p></th>`).join('')}</tr>`;
  return `<p>Verteiler</p><table class="wrapped"><colgroup><col /><col /></colgroup><tbody>${head}${bodyRows(rows)}</tbody></table>`;
}

/** Header in a first row of `<td>` cells, as the original reporter expects. */
export function tdTable(rows: Row[] = ROWS, header: string[] = HEADER): string {
  const head = `<tr>${header.map(td).join('')}</tr>`;
  return `<table><tbody>${head}${bodyRows(rows)}</tbody></table>`;
}
