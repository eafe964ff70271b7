import type { NodePageView, StatusView, SummaryRowView } from '../src/types.js';

/** The node of the tests as both its page and its summary row show it. */
const NODE = {
  nodeId: '3',
  commonName: '[3] Klinikum Beispielstadt',
  interfaceImport: 'HL7 ADT',
  status: { title: 'ONLINE', color: 'Green' },
  lastCheck: '2024-05-02 01:00:07',
} as const satisfies Partial<NodePageView> & Partial<SummaryRowView>;

/** A realistic node as the reporter would map it; tests override what they look at. */
export function nodeView(overrides: Partial<NodePageView> = {}): NodePageView {
  return {
    ...NODE,
    clinicName: 'Klinikum Beispielstadt, Zentrale Notaufnahme',
    informationSystem: 'ORBIS',
    root: { patient: '1.2.276.0.76.4.8', encounter: '1.2.276.0.76.4.9', billing: '1.2.276.0.76.4.10' },
    format: { patient: '%PID%', encounter: 'changeme', billing: '%BID%' },
    lastContact: '2024-05-02 00:58:11',
    lastStart: '2024-04-28 06:12:00',
    lastWrite: '2024-05-01 23:41:19',
    lastReject: '-',
    means: { imported: '112.43', updated: '40.00', invalid: '1.14', failed: '0.00', errorRate: '0.75' },
    daily: { imported: '120', updated: '38', invalid: '2', failed: '0', errorRate: '1.27' },
    errors: [
      { timestamp: '2024-05-01 21:12:03', repeats: '4', content: 'Import failed: duplicate encounter' },
      { timestamp: '2024-04-30 08:00:00', repeats: '1', content: 'Connection reset' },
    ],
    resources: {
      versions: {
        os: 'Ubuntu 22.04.4 LTS',
        kernel: '5.15.0-105-generic',
        java: 'Ubuntu/11.0.22',
        'j2ee-impl': '22.0.1.Final',
        apache2: '2.4.52-1ubuntu4.9',
        postgres: '14.11',
        'dwh-api': '1.4',
        'dwh-j2ee': 'dwh-j2ee-1.5.1',
      },
      scripts: {
        rscript: 'r-base-core (4.1.2), r-cran-tidyverse (-)',
        python: 'python3-numpy (1:1.21.5-1ubuntu22.04.1), python3-psycopg2 (-)',
        'import-scripts': 'p21 (1.5), p22 (-)',
      },
    },
    contacts: {
      ed: [{ name: 'Dr. Erika Muster', email: 'erika.muster@klinikum.example' }],
      it: [
        { name: 'Max Admin', email: 'max.admin@klinikum.example' },
        { name: 'Team IT', email: 'it@klinikum.example' },
      ],
    },
    jiraLabels: ['beispielstadt', 'orbis'],
    onlineSince: '2021-03-15',
    availability: { days30: '96,7 %', days365: '99,1 %' },
    importNote: undefined,
    days: [
      { day: '2024-04-30', imports: 150, errorRate: 1.5, restart: false },
      { day: '2024-05-01', imports: null, errorRate: null, restart: false },
      { day: '2024-05-02', imports: 158, errorRate: 1.27, restart: true },
    ],
    ...overrides,
  };
}

export function summaryRow(overrides: Partial<SummaryRowView> = {}): SummaryRowView {
  return {
    ...NODE,
    importsToday: '158.0',
    errorsToday: '2.0',
    errorRateToday: '1.27',
    errorRate7d: '0.75',
    availability30: '96,7 %',
    note: '',
    ...overrides,
  };
}

/** One status of each kind, with the colour the rules give it. */
export const STATUSES: readonly StatusView[] = [
  { title: 'GAP IN MONITORING', color: 'Red' },
  { title: 'TESTING', color: 'Blue' },
  { title: 'OFFLINE', color: 'Red' },
  { title: 'NO IMPORTS', color: 'Red' },
  { title: 'EXTREME ERROR RATE', color: 'Red' },
  { title: 'HIGH ERROR RATE', color: 'Yellow' },
  { title: 'LOW ERROR RATE', color: 'Yellow' },
  { title: 'ONLINE', color: 'Green' },
];
