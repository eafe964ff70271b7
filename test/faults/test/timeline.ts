/*
 * The simulated timeline every world of the suite replays: 11 clinics over 7 daily runs, fed to
 * the broker emulator day by day with the demo's clinic model, plus resource churn so that the
 * change logs are written on most days. The same timeline with and without faults must end in
 * the same store.
 */
import type { BrokerEmulator } from '@broker-monitor/broker-emulator';
import {
  type BrokerNodeState,
  CLINIC_PLACES,
  type Clinic,
  clinicMappingEntry,
  clinicOnDay,
  feedClinic,
  type Scenario,
} from '@broker-monitor/demo';

export const DAY_MS = 86_400_000;
export const DAYS = 8;

/**
 * Runs of the fixed calendar: 06:00 UTC daily, the last one on New Year's Day (stats and error
 * files rotate; a new year's first rows take the old year's history for the status).
 */
export const FIXED_FIRST_RUN = new Date('2024-12-25T06:00:00Z');

export type AppName = 'node-to-csv' | 'csv-to-confluence' | 'email-service' | 'file-backup-service';
/** The daily cron order (SPEC: collect → report → notify → backup). */
export const APPS: readonly AppName[] = [
  'node-to-csv',
  'csv-to-confluence',
  'email-service',
  'file-backup-service',
];

/** Clinic 4 is offline from day 4 and back on this day (its OFFLINE tracking entry must be cleared). */
const BACK_ONLINE_DAY = 7;
/** Clinic 2's rscript resource disappears (404) on this day only: every key DELETED, then NEW. */
const RSCRIPT_GONE_DAY = 4;

const SCENARIOS: Scenario[] = [
  { kind: 'healthy' },
  { kind: 'healthy' },
  { kind: 'dwh-restart', day: 3 },
  // Three days of imports first: with fewer the status would be TESTING, which masks OFFLINE.
  { kind: 'goes-offline', day: 4 },
  { kind: 'goes-offline', day: 5 },
  { kind: 'stops-importing', day: 4 },
  { kind: 'rising-errors' },
  { kind: 'outdated', dwhVersion: '1.5.0' },
  { kind: 'outdated', dwhVersion: '1.5.1rc1' },
  { kind: 'never-uploaded' },
  { kind: 'testing', joinsOnDay: 2 },
];

/**
 * The 11 clinics, ids 1…11, one scenario each. With THRESHOLD_HOURS_FAILURE 30 and a daily mail
 * interval: DWH OUTDATED mails for 8 and 9 every day, OFFLINE for 4 on days 5 and 6 (cleared on
 * day 7) and for 5 on days 6 and 7, NO IMPORTS for 6 on days 5 to 7.
 */
export function faultClinics(): Clinic[] {
  return SCENARIOS.map((scenario, index) => {
    const id = String(index + 1);
    const place = CLINIC_PLACES[index] as string;
    return {
      id,
      commonName: `[${id}] Klinikum ${place}`,
      longName: `Zentrale Notaufnahme, Klinikum ${place} & Co. <Fehler-Test>`,
      informationSystem: ['ORBIS', 'i.s.h.med', 'Medico'][index % 3] as string,
      importInterface: ['CDA (Datei)', 'HL7'][index % 2] as string,
      dailyVolume: 150 + index * 23,
      scenario,
    };
  });
}

/** The calendar of a world: the run instant of each day. */
export function calendar(firstRun: Date): Date[] {
  return Array.from({ length: DAYS }, (_, day) => new Date(firstRun.getTime() + day * DAY_MS));
}

/** The broker's view of a clinic at the run of `day`, with the suite's extra churn. */
export function stateOnDay(clinic: Clinic, day: number, runs: readonly Date[]): BrokerNodeState {
  // clinicOnDay puts the run at firstDay + 6 h.
  const firstDay = new Date((runs[0] as Date).getTime() - 6 * 3_600_000);
  const back = clinic.id === '4' && day >= BACK_ONLINE_DAY;
  const state = clinicOnDay(
    back ? { ...clinic, scenario: { kind: 'healthy' } } : clinic,
    day,
    firstDay,
    DAYS,
  );
  const scripts: Array<[string, string]> = [['p21', day >= 3 ? '1.6' : '1.5']];
  if (Number(clinic.id) % 2 === 0 && day >= 2 && day < 5) scripts.push(['aktin-extra', `0.${day}`]);
  state.resources['import-scripts'] = scripts;
  // A change on the last day too: the SIGKILL world's bins run on that day and must log it.
  if (day === DAYS - 1) state.resources.python = [...state.resources.python, ['python3-numpy', '1.26.4']];
  return state;
}

/** Does the broker hold import statistics for the clinic at the run of `day` (a stats row is due)? */
export function hasStats(clinic: Clinic, day: number, runs: readonly Date[]): boolean {
  return stateOnDay(clinic, day, runs).stats !== undefined;
}

/**
 * What the clinic's DWH sent the broker since the last run: uploads at the contact time (the
 * broker stamps Last-Modified with its clock); an offline clinic uploads nothing.
 */
export function feedBroker(
  broker: BrokerEmulator,
  clinics: readonly Clinic[],
  day: number,
  runs: readonly Date[],
  known: Set<string>,
): void {
  const runAt = runs[day] as Date;
  for (const clinic of clinics) {
    const uploaded = feedClinic(broker, clinic, stateOnDay(clinic, day, runs), runAt, known);
    if (uploaded && clinic.id === '2' && day === RSCRIPT_GONE_DAY)
      broker.deleteResource(Number(clinic.id), 'rscript');
  }
  broker.setNow(runAt);
}

/** The mapping JSON: short thresholds and a daily mail interval, so mails are due on most days. */
export function mappingJson(clinics: readonly Clinic[]): string {
  const mapping = Object.fromEntries(
    clinics.map((c) => [
      c.id,
      {
        ...clinicMappingEntry(c),
        THRESHOLD_HOURS_FAILURE: 30,
        // round(24 h) / 168 = 0.14 > 0.1: a status that holds is mailed again every day.
        WEEKS_NOTIFICATION_INTERVAL: 0.1,
      },
    ]),
  );
  return `${JSON.stringify(mapping, null, 2)}\n`;
}

/** DIR.CONTACTS: per clinic an ED main contact, an ED deputy (no mail) and an IT contact. */
export function contactsCsv(clinics: readonly Clinic[]): string {
  const header =
    'Node ID;Ansprechpartner für;Titel;Vorname;Nachname;Kontakt;Hauptansprechpartner?;Abgemeldet von Monitor-Benachrichtigungen?';
  const rows = clinics.flatMap((c) => [
    `${c.id};Notaufnahme;Dr. med.;Anna;Beispiel-${c.id};notaufnahme@klinikum-${c.id}.example;ja;`,
    `${c.id};Notaufnahme;;Bernd;Vertretung-${c.id};vertretung@klinikum-${c.id}.example;;`,
    `${c.id};IT;;Carla;Technik-${c.id};it@klinikum-${c.id}.example;;`,
  ]);
  return `${[header, ...rows].join('\n')}\n`;
}
