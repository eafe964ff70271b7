// The report's test data: one node per status, a hostile name and contacts.
import {
  DAILY,
  DAYS,
  dayRows,
  HOURS,
  instantText,
  makeSetup,
  type Setup,
  STATS_HEADER,
  writeNode,
} from './store.js';

export const NOW = new Date('2025-06-15T06:30:00Z');
export const END = new Date('2025-06-15T06:00:00Z');
export const HOSTILE = `<script>alert("x")</script> & Klinik ]]> 'Ärzte' <img src=http://evil.example/x.png>`;

export const CONTACTS = [
  'Node ID;Ansprechpartner für;Titel;Vorname;Nachname;Kontakt;Hauptansprechpartner?;Abgemeldet von Monitor-Benachrichtigungen?',
  '1;Notaufnahme;Dr.;Erika;Muster;erika@klinik-eins.example;x;',
  '1;IT;;Max;Admin;it@klinik-eins.example;;',
  `9;IT;;<b>Eve</b>;"O'Hara & Co";eve@hostile.example;;`,
].join('\n');

/** Nodes built to land in one status each; the names say which. */
export async function statusFixture(options: { contacts?: boolean } = {}): Promise<Setup> {
  const setup = await makeSetup({
    mapping: {
      '1': { COMMON_NAME: '[1] Online', LONG_NAME: 'Klinikum Eins', IMPORT_INTERFACE: 'HL7' },
      '2': { COMMON_NAME: '[2] Offline' },
      '3': { COMMON_NAME: '[3] Testing' },
      '4': { COMMON_NAME: '[4] Gap' },
      '5': { COMMON_NAME: '[5] No imports', THRESHOLD_HOURS_FAILURE: 48 },
      '6': { COMMON_NAME: '[6] Extreme' },
      '7': { COMMON_NAME: '[7] High' },
      '8': { COMMON_NAME: '[8] Low' },
      '9': { COMMON_NAME: HOSTILE, LONG_NAME: HOSTILE, JIRA_LABELS: ['a"b'] },
      '10': { COMMON_NAME: '[10] No stats yet' },
      '11': { COMMON_NAME: '[11] No folder' },
    },
    ...(options.contacts ? { contactsCsv: CONTACTS } : {}),
  });
  const w = setup.working;
  // Earlier days vary so that the heatmap shows every bin; only the last row decides the status.
  const lastRowRate = (rate: string, earlier: (age: number) => string) => (age: number) => ({
    daily: { ...DAILY, errorRate: age === 0 ? rate : earlier(age) },
  });
  await writeNode(w, { id: '1', rows: dayRows({ end: END, days: 30 }) });
  await writeNode(w, {
    id: '2',
    rows: dayRows({
      end: END,
      days: 30,
      day: (age) =>
        age === 0 ? { lastContact: instantText(new Date(NOW.getTime() - 73 * HOURS)) } : undefined,
    }),
  });
  await writeNode(w, {
    id: '3',
    rows: dayRows({ end: END, days: 30, day: () => ({ daily: { ...DAILY, imported: '0', updated: '0' } }) }),
  });
  await writeNode(w, { id: '4', rows: dayRows({ end: new Date(END.getTime() - 2 * DAYS), days: 30 }) });
  await writeNode(w, {
    id: '5',
    rows: dayRows({
      end: END,
      days: 30,
      day: () => ({ lastWrite: instantText(new Date(NOW.getTime() - 49 * HOURS)) }),
    }),
  });
  await writeNode(w, {
    id: '6',
    rows: dayRows({ end: END, days: 30, day: lastRowRate('10.00', (age) => (age < 6 ? '14.20' : '2.50')) }),
  });
  await writeNode(w, {
    id: '7',
    rows: dayRows({
      end: END,
      days: 30,
      day: lastRowRate('9.99', (age) => (age % 3 === 0 ? '6.10' : '0.40')),
    }),
  });
  await writeNode(w, {
    id: '8',
    rows: dayRows({ end: END, days: 30, day: lastRowRate('1.00', (age) => (age % 2 === 0 ? '1.30' : '-')) }),
  });
  await writeNode(w, {
    id: '9',
    rows: dayRows({ end: END, days: 30, day: lastRowRate('0.99', () => '0.00') }),
    errors: [
      {
        timestamp: '2025-06-14T10:00:00+02:00',
        repeats: '3',
        content: `Fehler; <script>alert(1)</script> "quoted" & ]]>`,
      },
    ],
  });
  await writeNode(w, { id: '10', rawStats: `${STATS_HEADER}\n` });
  return setup;
}

export const EXPECTED_STATUS: Record<string, string> = {
  '1': 'ONLINE',
  '2': 'OFFLINE',
  '3': 'TESTING',
  '4': 'GAP IN MONITORING',
  '5': 'NO IMPORTS',
  '6': 'EXTREME ERROR RATE',
  '7': 'HIGH ERROR RATE',
  '8': 'LOW ERROR RATE',
  '9': 'ONLINE',
};
