import {
  CONTACTS_HEADER,
  createTestEnv,
  csv,
  days,
  healthyRows,
  rowTime,
  statsRow,
  type TestEnv,
  type TestEnvOptions,
} from './helpers.js';

/*
 * A working directory on Monday 2025-03-10, the run at 08:00 UTC:
 * node 1 OFFLINE (last contact 2025-03-06T23:30Z = 07.03.2025 in Berlin), node 2 NO IMPORTS
 * (last write 06.03.2025 00:20 Berlin), node 3 ONLINE with DWH 1.5.1rc1 (outdated against 1.5.1),
 * node 4 ONLINE and current, node 5 OFFLINE without a main contact.
 */
export const RUN_TIME = new Date('2025-03-10T08:00:00.250Z');

export const MAPPING = `{
  "1": {"COMMON_NAME": "[1] Klinikum Süd", "LONG_NAME": "Klinikum Süd-Würzburg"},
  "2": {"COMMON_NAME": "[2] Uniklinik Köln", "LONG_NAME": "Universitätsklinikum Köln", "WEEKS_NOTIFICATION_INTERVAL": 2},
  "3": {"COMMON_NAME": "[3] Gütersloh", "LONG_NAME": "Städtisches Klinikum Gütersloh"},
  "4": {"COMMON_NAME": "[4] Aachen", "LONG_NAME": "Uniklinik Aachen"},
  "5": {"COMMON_NAME": "[5] Nebenan"}
}
`;

export const CONTACT_LINES = [
  '1;Notaufnahme;Dr.;Anna;Arzt;anna.arzt@klinik-sued.example;x;',
  '1;Notaufnahme;;Bernd;Pfleger;bernd@klinik-sued.example;;',
  '1;IT;;Carla;Admin;it@klinik-sued.example;;',
  '1;IT;;Dieter;Weg;dieter@klinik-sued.example;;x',
  '1;Notaufnahme;Prof. Dr.;Eva;Chefin;eva@klinik-sued.example;x;ja',
  '1;IT;;Anna;Arzt;anna.arzt@klinik-sued.example;;',
  '2;Notaufnahme;;Jörg;Müller;joerg.mueller@uk-koeln.example;ja;',
  '2;IT;;Team;Zentrale;team@aktin.example;;',
  '3;IT;;Gabi;Technik;gabi@gt.example;;',
  '3;Notaufnahme;;Hans;Haupt;hans@gt.example;x;',
  '5;Notaufnahme;;Nina;Neben;nina@nebenan.example;;',
];

export const CONTACTS_CSV = `${[CONTACTS_HEADER, ...CONTACT_LINES].join('\n')}\n`;

/** Who gets which mail, as the original picks them; STATIC_RECIPIENTS (the team) in Cc unless already in To. */
export const EXPECTED_RECIPIENTS = {
  '1': { to: ['anna.arzt@klinik-sued.example', 'it@klinik-sued.example'], cc: ['team@aktin.example'] },
  '2': { to: ['joerg.mueller@uk-koeln.example', 'team@aktin.example'], cc: [] },
  '3': { to: ['hans@gt.example', 'gabi@gt.example'], cc: ['team@aktin.example'] },
};

const BEFORE = days('2025-02-20', 15); // 2025-02-20 … 2025-03-06

export async function writeMarchStore(env: TestEnv): Promise<void> {
  const offlineDays = days('2025-03-07', 4).map((day) =>
    statsRow(rowTime(day), '2025-03-06T23:30:00Z', '2025-03-06T23:10:00+01:00', '0'),
  );
  await env.write('1/1_stats_2025.csv', csv([...healthyRows(BEFORE[0] ?? '', 15), ...offlineDays]));

  const noImportDays = days('2025-03-06', 5).map((day) =>
    statsRow(rowTime(day), `${day}T05:59:30Z`, '2025-03-06T00:20:00+01:00', '0'),
  );
  await env.write('2/2_stats_2025.csv', csv([...healthyRows(BEFORE[0] ?? '', 14), ...noImportDays]));

  await env.write('3/3_stats_2025.csv', csv(healthyRows(BEFORE[0] ?? '', 19)));
  await env.write('3/3_versions.txt', '{"os": "Ubuntu 22.04.3 LTS", "dwh-j2ee": "dwh-j2ee-1.5.1rc1"}');

  await env.write('4/4_stats_2025.csv', csv(healthyRows(BEFORE[0] ?? '', 19)));
  await env.write('4/4_versions.txt', '{"dwh-j2ee": "dwh-j2ee-1.5.1"}');

  await env.write('5/5_stats_2025.csv', csv([...healthyRows(BEFORE[0] ?? '', 15), ...offlineDays]));
}

/** A test environment with the March store, its mapping and contacts, mailing through `smtpServer`. */
export async function marchEnv(smtpServer: string, options: Partial<TestEnvOptions> = {}): Promise<TestEnv> {
  const env = await createTestEnv({ smtpServer, mapping: MAPPING, contactsCsv: CONTACTS_CSV, ...options });
  await writeMarchStore(env);
  return env;
}
