/** What happens to a simulated clinic over the demo's days. */
export type Scenario =
  | { kind: 'healthy' }
  | { kind: 'dwh-restart'; day: number }
  | { kind: 'goes-offline'; day: number }
  | { kind: 'stops-importing'; day: number }
  | { kind: 'rising-errors' }
  /** From `day` on, for a week, a broken interface lets only a tenth of the cases through (never none). */
  | { kind: 'imports-drop'; day: number }
  | { kind: 'outdated'; dwhVersion: string }
  | { kind: 'testing'; joinsOnDay: number }
  | { kind: 'never-uploaded' };

export interface Clinic {
  id: string;
  commonName: string;
  longName: string;
  informationSystem: string;
  importInterface: string;
  /** Imports per day when healthy. */
  dailyVolume: number;
  scenario: Scenario;
}

/** Invented places: the demo must not look like real clinics' data. */
export const CLINIC_PLACES: readonly string[] = [
  'Nordstadt',
  'Auenwald',
  'Bergheim am See',
  'Lindenfels',
  'Rosenau',
  'Eichstätt-Süd',
  'Falkenbrück',
  'Mühlhausen',
  'Grünwalde',
  'Kronach-Land',
  'Sonnenberg',
  'Weißenfeld',
  'Altenhagen',
  'Birkenhain',
  'Ostermünde',
  'Tannenbühl',
  'Wiesental',
  'Hochmoor',
  'Seefeld',
  'Steinbach',
  'Fichtelau',
  'Marienthal',
  'Schönau',
  'Dornstedt',
  'Ährenfeld',
];

/** The day the demo adds a maintenance window (a silence) for the last clinic, lasting past the end. */
export const MAINTENANCE_DAY = 54;

const SCENARIOS: Scenario[] = [
  { kind: 'healthy' },
  { kind: 'healthy' },
  { kind: 'dwh-restart', day: 30 },
  { kind: 'healthy' },
  { kind: 'goes-offline', day: 52 },
  { kind: 'healthy' },
  { kind: 'stops-importing', day: 48 },
  { kind: 'rising-errors' },
  { kind: 'healthy' },
  { kind: 'outdated', dwhVersion: '1.5.0' },
  { kind: 'healthy' },
  { kind: 'testing', joinsOnDay: 50 },
  { kind: 'healthy' },
  { kind: 'dwh-restart', day: 55 },
  { kind: 'goes-offline', day: 20 },
  { kind: 'healthy' },
  { kind: 'rising-errors' },
  { kind: 'outdated', dwhVersion: '1.5.1rc1' },
  { kind: 'healthy' },
  { kind: 'stops-importing', day: 56 },
  { kind: 'healthy' },
  { kind: 'testing', joinsOnDay: 45 },
  { kind: 'imports-drop', day: 53 },
  { kind: 'never-uploaded' },
  // Migrates its DWH: offline from day 55, inside the maintenance window the demo adds on day 54.
  { kind: 'goes-offline', day: MAINTENANCE_DAY + 1 },
];

const SYSTEMS = ['ORBIS', 'i.s.h.med', 'Medico', 'Nexus', 'iMedOne'];
const INTERFACES = ['CDA (Datei)', 'CDA (REST)', 'HL7', 'Dateiimport'];

/** The demo's 25 clinics, ids 1…25, each with a fixed scenario so every run tells the same story. */
export function demoClinics(): Clinic[] {
  return CLINIC_PLACES.map((place, index) => {
    const id = String(index + 1);
    return {
      id,
      commonName: `[${id}] Klinikum ${place}`,
      longName: `Zentrale Notaufnahme, Klinikum ${place}`,
      informationSystem: SYSTEMS[index % SYSTEMS.length] as string,
      importInterface: INTERFACES[index % INTERFACES.length] as string,
      dailyVolume: 120 + ((index * 37) % 280),
      scenario: SCENARIOS[index] as Scenario,
    };
  });
}

/** A clinic's entry of the mapping JSON: its names, systems and Jira label. */
export function clinicMappingEntry(clinic: Clinic): Record<string, unknown> {
  return {
    COMMON_NAME: clinic.commonName,
    LONG_NAME: clinic.longName,
    HOSPITAL_INFORMATION_SYSTEM: clinic.informationSystem,
    IMPORT_INTERFACE: clinic.importInterface,
    JIRA_LABELS: [`klinikum-${clinic.id}`],
  };
}
