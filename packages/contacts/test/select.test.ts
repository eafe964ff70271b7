import { describe, expect, it } from 'vitest';
import {
  isContactOf,
  mailRecipients,
  noRecipientReason,
  pageContacts,
  parseContactsPage,
} from '../src/index.js';
import { ROWS, type Row, tdTable, thTable } from './tables.js';

describe('pageContacts', () => {
  it('shows every contact of the node by type, ignoring main-contact and unsubscribe columns', () => {
    expect(pageContacts(parseContactsPage(thTable()), '1')).toEqual({
      ed: [
        { name: 'Dr. Anna Arzt', email: 'anna@klinik1.de' },
        { name: 'Bernd Pflege', email: 'bernd@klinik1.de' },
        { name: 'Prof. Clara Chef', email: 'clara@klinik1.de' },
      ],
      it: [
        { name: 'Dora Admin', email: 'dora@klinik1.de' },
        { name: 'Emil Ex', email: 'emil@klinik1.de' },
      ],
    });
    expect(pageContacts(parseContactsPage(thTable()), '2').it).toEqual([
      { name: 'Fritz Fremd', email: 'fritz@klinik2.de' },
    ]);
    expect(pageContacts(parseContactsPage(thTable()), '3')).toEqual({ ed: [], it: [] });
  });

  it('joins the name parts as the original: only the ends are trimmed', () => {
    const rows: Row[] = [['4', 'IT', 'Dr.', '', 'Muster', 'm@x.de', '', '']];
    expect(pageContacts(parseContactsPage(tdTable(rows)), '4').it).toEqual([
      { name: 'Dr.  Muster', email: 'm@x.de' },
    ]);
  });

  it('collapses contacts with the same name: first place, last address', () => {
    const rows: Row[] = [
      ['4', 'IT', '', 'Max', 'Muster', 'old@x.de', '', ''],
      ['4', 'IT', '', 'Eva', 'Other', 'eva@x.de', '', ''],
      ['4', 'IT', '', 'Max', 'Muster', 'new@x.de', '', ''],
    ];
    expect(pageContacts(parseContactsPage(tdTable(rows)), '4').it).toEqual([
      { name: 'Max Muster', email: 'new@x.de' },
      { name: 'Eva Other', email: 'eva@x.de' },
    ]);
  });
});

describe('mailRecipients', () => {
  it('takes ED main contacts and IT contacts that did not unsubscribe, ED first', () => {
    expect(mailRecipients(parseContactsPage(thTable()), '1')).toEqual(['anna@klinik1.de', 'dora@klinik1.de']);
    expect(mailRecipients(parseContactsPage(tdTable()), '1')).toEqual(['anna@klinik1.de', 'dora@klinik1.de']);
  });

  it('takes an IT contact regardless of the main-contact column', () => {
    expect(mailRecipients(parseContactsPage(thTable()), '2')).toEqual(['fritz@klinik2.de']);
  });

  it('lists each address once, ignoring case, and skips rows without an address', () => {
    const rows: Row[] = [
      ['9', 'IT', '', 'A', 'A', 'it@x.de', '', ''],
      ['9', 'Notaufnahme', '', 'B', 'B', 'Boss@x.de', 'x', ''],
      ['9', 'IT', '', 'C', 'C', 'boss@x.de', '', ''],
      ['9', 'IT', '', 'D', 'D', '', '', ''],
      ['9', 'Notaufnahme', '', 'E', 'E', 'it@x.de', 'x', ''],
    ];
    expect(mailRecipients(parseContactsPage(tdTable(rows)), '9')).toEqual(['Boss@x.de', 'it@x.de']);
  });

  it('no contacts → no recipients', () => {
    expect(mailRecipients(parseContactsPage(thTable()), '99')).toEqual([]);
    const onlyUnsubscribed = ROWS.filter((row) => row[4] === 'Ex');
    expect(mailRecipients(parseContactsPage(thTable(onlyUnsubscribed)), '1')).toEqual([]);
  });
});

describe('noRecipientReason', () => {
  const reasonFor = (rows: Row[]) => {
    const contacts = parseContactsPage(tdTable(rows));
    expect(mailRecipients(contacts, '6')).toEqual([]);
    return noRecipientReason(contacts, '6');
  };

  it.each<[string, Row[], string]>([
    [
      'says that all contacts unsubscribed, any text counting, also "nein"',
      [
        ['6', 'IT', '', 'Ina', 'It', 'ina@x.de', '', 'x'],
        ['6', 'Notaufnahme', 'Dr.', 'Ed', 'Main', 'ed@x.de', 'x', 'nein'],
      ],
      'all 2 contacts unsubscribed; Ina It (IT): unsubscribed ("Abgemeldet von Monitor-Benachrichtigungen?" is not empty); ' +
        'Dr. Ed Main (Notaufnahme): unsubscribed ("Abgemeldet von Monitor-Benachrichtigungen?" is not empty)',
    ],
    [
      'names the emergency-department contact that is no main contact',
      [['6', 'Notaufnahme', '', 'Nina', 'Neben', 'nina@x.de', '', '']],
      'Nina Neben (Notaufnahme): not the main contact ("Hauptansprechpartner?" is empty), and of the Notaufnahme only main contacts are mailed',
    ],
    [
      'names an unknown role such as Notfall and an address that is not one',
      [
        ['6', 'Notfall', '', 'Otto', 'Not', 'otto@x.de', 'x', ''],
        ['6', 'IT', '', 'Ulla', 'Umlaut', 'ulla(at)x.de', '', ''],
        ['6', 'IT', '', 'Leo', 'Leer', '', '', ''],
      ],
      'Otto Not (Notfall): "Ansprechpartner für" is "Notfall", neither Notaufnahme nor IT; ' +
        'Ulla Umlaut (IT): "ulla(at)x.de" is not an e-mail address; Leo Leer (IT): no address in "Kontakt"',
    ],
  ])('%s', (_, rows, reason) => {
    expect(reasonFor(rows)).toBe(reason);
  });

  it('says when no row names the node', () => {
    expect(noRecipientReason(parseContactsPage(thTable()), '99')).toBe('no contact has Node ID 99');
  });
});

describe('isContactOf', () => {
  const contact = (nodeId: string) =>
    parseContactsPage(tdTable([[nodeId, 'IT', '', 'A', 'B', 'c@x.de', '', '']]))[0];
  it.each([
    ['12', '12', true],
    ['012', '12', true],
    ['12.0', '12', true],
    ['12', '1', false],
    ['', '0', false],
    ['12a', '12', false],
  ])('Node ID %j, node %s → %s', (cell, nodeId, expected) => {
    const parsed = contact(cell);
    expect(parsed && isContactOf(parsed, nodeId)).toBe(expected);
  });
});
