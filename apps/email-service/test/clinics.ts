import { CONTACTS_HEADER, createTestEnv, nodeStats, silentAfter, type TestEnv } from './helpers.js';

/*
 * The clinics of the tests that run the service day after day (repeat interval, silences):
 * node 1 mailed weekly, node 2 every two weeks, node 7 mapped but never collected.
 */
export const CLINICS_MAPPING = `{
  "1": {"COMMON_NAME": "[1] Eins", "LONG_NAME": "Klinik Eins", "WEEKS_NOTIFICATION_INTERVAL": 1},
  "2": {"COMMON_NAME": "[2] Zwei", "LONG_NAME": "Klinik Zwei", "WEEKS_NOTIFICATION_INTERVAL": 2},
  "7": {"COMMON_NAME": "[7] Sieben", "LONG_NAME": "Klinik Sieben"}
}`;

export const CLINICS_CONTACTS = `${CONTACTS_HEADER}
1;Notaufnahme;;Eva;Eins;ed@eins.example;x;
2;IT;;Ida;Zwei;it@zwei.example;;
7;IT;;Sven;Sieben;it@sieben.example;;
`;

/** A test environment of these clinics, with SMTP lines such as `RECOVERY_MAILS = true`. */
export const clinicsEnv = (smtpServer: string, smtpExtra = ''): Promise<TestEnv> =>
  createTestEnv({ smtpServer, mapping: CLINICS_MAPPING, contactsCsv: CLINICS_CONTACTS, smtpExtra });

/** The node's stats file on `day`: imports every day from 2025-02-10 until `lastGoodDay`, then silent. */
export async function writeSilentAfter(
  env: TestEnv,
  nodeId: string,
  lastGoodDay: string,
  day: string,
): Promise<void> {
  await env.write(
    `${nodeId}/${nodeId}_stats_2025.csv`,
    nodeStats('2025-02-10', day, silentAfter(lastGoodDay)),
  );
}
