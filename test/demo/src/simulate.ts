import { formatInstant, formatXsDateTime, type ImportStatisticsInput } from '@broker-monitor/broker-emulator';
import type { Clinic } from './clinics.js';

const DAY_MS = 86_400_000;

/** A node's state on the broker at one moment, as the broker emulator serves it. */
export interface BrokerNodeState {
  /** Not yet known to the broker (a clinic that joins later). */
  listed: boolean;
  /** Broker `Instant.toString()` text. */
  lastContact?: string;
  /** Absent: the node never uploaded statistics (404). */
  stats?: ImportStatisticsInput;
  resources: Record<'versions' | 'rscript' | 'python' | 'import-scripts', Array<[string, string]>>;
}

/** Deterministic pseudo-random numbers in [0, 1) for a clinic and day (mulberry32). */
function random(clinicId: string, day: number, salt: number): number {
  let t = (Number(clinicId) * 7919 + day * 104_729 + salt * 1_299_709) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** xs:dateTime as the DWH writes it: Berlin local time with offset, millis only when non-zero. */
function berlinDateTime(date: Date): string {
  return formatXsDateTime(date, 'Europe/Berlin');
}

interface DayCounts {
  imported: number;
  updated: number;
  invalid: number;
  failed: number;
}

const ERROR_TEXTS = [
  'Encounter ohne Aufnahmezeitpunkt; Datensatz übersprungen',
  'Ungültiger Wert "ZZ" für Triage-System',
  'CDA-Dokument nicht schema-konform: Element <effectiveTime> fehlt',
  'Patient & Fall stimmen nicht überein',
  'Diagnose-Code "X99.9" unbekannt',
];

function dayCounts(clinic: Clinic, day: number, daysTotal: number): DayCounts {
  const s = clinic.scenario;
  if (s.kind === 'stops-importing' && day >= s.day) return { imported: 0, updated: 0, invalid: 0, failed: 0 };
  if (s.kind === 'testing') {
    // A clinic still setting up: small test imports on some days only.
    if (day < s.joinsOnDay || random(clinic.id, day, 1) < 0.5)
      return { imported: 0, updated: 0, invalid: 0, failed: 0 };
    return { imported: 5 + Math.floor(random(clinic.id, day, 2) * 20), updated: 0, invalid: 0, failed: 1 };
  }
  const dropped = s.kind === 'imports-drop' && day >= s.day && day < s.day + 7;
  const volume = Math.round(
    clinic.dailyVolume * (dropped ? 0.1 : 1) * (0.85 + 0.3 * random(clinic.id, day, 3)),
  );
  const updated = Math.round(volume * 0.2 * random(clinic.id, day, 4));
  const errorShare =
    s.kind === 'rising-errors' ? 0.002 + (day / daysTotal) * 0.16 : 0.004 * random(clinic.id, day, 5);
  const bad = Math.round(volume * errorShare);
  const invalid = Math.round(bad * random(clinic.id, day, 6));
  return { imported: volume, updated, invalid, failed: bad - invalid };
}

const VERSIONS = (dwh: string): Array<[string, string]> => [
  ['os', 'Ubuntu 22.04.4 LTS'],
  ['kernel', '5.15.0-105-generic'],
  ['java', '11.0.22'],
  ['j2ee-impl', 'WildFly 22.0.1.Final'],
  ['apache2', '2.4.52-1ubuntu4.9'],
  ['postgres', '14.11-0ubuntu0.22.04.1'],
  ['dwh-api', '0.11'],
  ['dwh-j2ee', `dwh-j2ee-${dwh}`],
];

/**
 * The broker's view of a clinic when the collector runs on `day` (0-based) at `collectAt`.
 * Counters are cumulative since the DWH started, as the real import statistics are.
 */
export function clinicOnDay(clinic: Clinic, day: number, firstDay: Date, daysTotal: number): BrokerNodeState {
  const s = clinic.scenario;
  const dayStart = (d: number) => new Date(firstDay.getTime() + d * DAY_MS);
  const joined = s.kind === 'testing' ? s.joinsOnDay : 0;
  const dwhVersion = s.kind === 'outdated' ? s.dwhVersion : '1.5.1';
  const resources: BrokerNodeState['resources'] = {
    versions: VERSIONS(dwhVersion),
    rscript: [
      ['r-base-core', '4.1.2-1ubuntu2'],
      ['r-cran-lattice', '0.20-45-1'],
    ],
    python: [
      ['python3', '3.10.12'],
      ['python3-pandas', day >= 35 ? '1.5.3' : '1.3.5'],
    ],
    'import-scripts': [['p21', day >= 40 && clinic.id === '3' ? '1.6' : '1.5']],
  };
  if (day < joined) return { listed: false, resources };

  // An offline clinic stops talking to the broker: everything stays as it was the day before.
  const seenDay = s.kind === 'goes-offline' && day >= s.day ? s.day - 1 : day;
  const contact = new Date(
    dayStart(seenDay).getTime() + 6 * 3_600_000 - (5 + random(clinic.id, seenDay, 7) * 50) * 60_000,
  );
  const state: BrokerNodeState = { listed: true, lastContact: formatInstant(contact), resources };
  if (s.kind === 'never-uploaded') return state;

  const restartDay = s.kind === 'dwh-restart' && seenDay >= s.day ? s.day : joined;
  const start = new Date(
    dayStart(restartDay).getTime() + 3 * 3_600_000 + 12 * 60_000 + 45_000 + (restartDay % 3) * 123,
  );
  const totals: DayCounts = { imported: 0, updated: 0, invalid: 0, failed: 0 };
  const errors: Array<{ timestamp: string; repeats?: number; content: string }> = [];
  let lastWrite: Date | undefined;
  let lastReject: Date | undefined;
  for (let d = restartDay; d <= seenDay; d++) {
    const counts = dayCounts(clinic, d, daysTotal);
    totals.imported += counts.imported;
    totals.updated += counts.updated;
    totals.invalid += counts.invalid;
    totals.failed += counts.failed;
    const importTime = new Date(dayStart(d).getTime() + 4 * 3_600_000 + random(clinic.id, d, 8) * 3_600_000);
    if (counts.imported + counts.updated > 0) lastWrite = importTime;
    if (counts.invalid + counts.failed > 0) {
      lastReject = importTime;
      const text = ERROR_TEXTS[Math.floor(random(clinic.id, d, 9) * ERROR_TEXTS.length)] as string;
      const known = errors.find((e) => e.content === text);
      if (known) {
        known.timestamp = berlinDateTime(importTime);
        known.repeats = (known.repeats ?? 1) + counts.invalid + counts.failed;
      } else {
        errors.push({ timestamp: berlinDateTime(importTime), content: text });
      }
    }
  }
  state.stats = {
    start: berlinDateTime(start),
    ...(lastWrite ? { lastWrite: berlinDateTime(lastWrite) } : {}),
    ...(lastReject ? { lastReject: berlinDateTime(lastReject) } : {}),
    ...totals,
    // The DWH keeps its newest 20 errors.
    errors: errors.sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1)).slice(0, 20),
  };
  return state;
}
