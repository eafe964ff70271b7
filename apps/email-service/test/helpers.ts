import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { type SmtpTestServer, startSmtpTestServer } from '@broker-monitor/smtp-test-server';
import { testCertPath } from '@broker-monitor/test-certs';
import { type AppRun, type LogLine, runAppCaptured, STATS_HEADER } from '@broker-monitor/test-kit';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../src/index.js';

export const SMTP_USER = 'monitor@aktin.example';
export const SMTP_PASSWORD = 'smtp-secret-pw';
export const TEAM = 'team@aktin.example';

export { STATS_HEADER };

/** One stats row as the collector writes it (counters unimportant here; error rate 0). */
export function statsRow(
  date: string,
  lastContact: string,
  lastWrite: string,
  dailyImported: string,
): string {
  return `${date};${lastContact};2025-01-02T07:00:00+01:00;${lastWrite};-;1200;30;0;0;0.00;${dailyImported};0;0;0;0.00`;
}

/** `2025-03-03` → the collector's row time that day, `2025-03-03 06:00:00+00:00`. */
export const rowTime = (day: string) => `${day} 06:00:00+00:00`;

/** The UTC days from `first` on, `count` of them, as `YYYY-MM-DD`. */
export function days(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** Rows of a node that imported every day up to `lastDay` (contact and write that day): not TESTING. */
export function healthyRows(firstDay: string, count: number): string[] {
  return days(firstDay, count).map((day) =>
    statsRow(rowTime(day), `${day}T05:59:30Z`, `${day}T05:10:00+01:00`, '12'),
  );
}

export const csv = (lines: readonly string[]) => `${[STATS_HEADER, ...lines].join('\n')}\n`;

/**
 * A node's stats CSV as the collector leaves it on `lastDay`: a row a day from `firstDay` on.
 * `importsOn(day)` gives that day's daily_imported of a reachable node (contact and write that
 * day), or undefined for a silent day (last contact and write of the last reachable day before).
 */
export function nodeStats(
  firstDay: string,
  lastDay: string,
  importsOn: (day: string) => string | undefined,
): string {
  let lastReachable = firstDay;
  const rows = days(firstDay, 400)
    .filter((day) => day <= lastDay)
    .map((day) => {
      const imports = importsOn(day);
      if (imports !== undefined) lastReachable = day;
      return statsRow(
        rowTime(day),
        `${lastReachable}T05:59:30Z`,
        `${lastReachable}T05:10:00+01:00`,
        imports ?? '0',
      );
    });
  return csv(rows);
}

/** A node that imported 12 a day (too few for a drop note) until `lastGoodDay`, silent after. */
export const silentAfter = (lastGoodDay: string) => (day: string) => (day <= lastGoodDay ? '12' : undefined);

/** The header of the contacts table (DIR.CONTACTS / the E-Mail-Verteiler page). */
export const CONTACTS_HEADER =
  'Node ID;Ansprechpartner für;Titel;Vorname;Nachname;Kontakt;Hauptansprechpartner?;Abgemeldet von Monitor-Benachrichtigungen?';

export interface TestEnvOptions {
  smtpServer: string;
  /** The mapping JSON text. */
  mapping: string;
  /** DIR.CONTACTS CSV text; absent: `confluence` must be given. */
  contactsCsv?: string;
  /** `email` for Cloud (basic auth with the API token). */
  confluence?: { url: string; token: string; space: string; email?: string | undefined };
  /** Files put into DIR.RESOURCES (which is set only when given). */
  resources?: Record<string, Buffer | string>;
  /** Extra lines of the [SMTP] section, e.g. `RECOVERY_MAILS = true`. */
  smtpExtra?: string;
  password?: string;
  dwhVersion?: string;
  /** Creates `<root>/textfile` and sets it as [METRICS] TEXTFILE_DIR. */
  textfile?: boolean;
}

export interface TestEnv {
  root: string;
  working: string;
  config: string;
  /** `<root>/textfile`, the metrics folder when `textfile` was asked for. */
  textfileDir: string;
  /** Writes a file below the working directory, creating folders. */
  write(path: string, content: string | Buffer): Promise<void>;
  read(path: string): Promise<string>;
}

export async function createTestEnv(options: TestEnvOptions): Promise<TestEnv> {
  const root = await mkdtemp(join(tmpdir(), 'email-service-'));
  const working = join(root, 'working');
  await mkdir(working);
  await writeFile(join(root, 'mapping.json'), options.mapping);
  const dirLines = [`WORKING = "${working}"`];
  if (options.contactsCsv !== undefined) {
    await writeFile(join(root, 'contacts.csv'), options.contactsCsv);
    dirLines.push(`CONTACTS = "${join(root, 'contacts.csv')}"`);
  }
  if (options.resources !== undefined) {
    await mkdir(join(root, 'resources'));
    for (const [name, content] of Object.entries(options.resources)) {
      await writeFile(join(root, 'resources', name), content);
    }
    dirLines.push(`RESOURCES = "${join(root, 'resources')}"`);
  }
  const confluence = options.confluence
    ? `URL = "${options.confluence.url}"\nSPACE = "${options.confluence.space}"\nTOKEN = "${options.confluence.token}"\n${options.confluence.email ? `EMAIL = "${options.confluence.email}"\n` : ''}`
    : '';
  const textfileDir = join(root, 'textfile');
  if (options.textfile === true) await mkdir(textfileDir);
  const config = join(root, 'settings.toml');
  await writeFile(
    config,
    `REQUESTS_CA_BUNDLE = "${testCertPath}"

[DIR]
${dirLines.join('\n')}

[CONFLUENCE]
${confluence}MAPPING_JSON = "${join(root, 'mapping.json')}"

[SMTP]
SERVER = "${options.smtpServer}"
USERNAME = "${SMTP_USER}"
PASSWORD = "${options.password ?? SMTP_PASSWORD}"
STATIC_RECIPIENTS = ["${TEAM}"]
${options.smtpExtra ?? ''}

[AKTIN]
DWH_VERSION = "${options.dwhVersion ?? '1.5.1'}"
I2B2_VERSION = "1.5.3"
${options.textfile === true ? `\n[METRICS]\nTEXTFILE_DIR = "${textfileDir}"\n` : ''}`,
  );
  return {
    root,
    working,
    config,
    textfileDir,
    async write(path, content) {
      await mkdir(dirname(join(working, path)), { recursive: true });
      await writeFile(join(working, path), content);
    },
    read: (path) => readFile(join(working, path), 'utf8'),
  };
}

export interface RunResult extends AppRun {
  /** The one log line per node outcome, by node id. */
  nodes: Record<string, LogLine>;
}

/** Runs the app as the bin does, with a fixed clock. */
export async function runEmailService(config: string, now: Date, flags: string[] = []): Promise<RunResult> {
  const run = await runAppCaptured(createApp({ now: () => new Date(now) }), [config, ...flags]);
  const nodes: Record<string, LogLine> = {};
  for (const line of run.logs)
    if (typeof line.node === 'string' && 'outcome' in line) nodes[line.node] = line;
  return { ...run, nodes };
}

/** Every file and folder below `root` with its bytes, to prove a run changed nothing. */
export async function snapshotTree(root: string): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        snapshot.set(`${relative(root, path)}/`, '');
        await walk(path);
      } else {
        snapshot.set(relative(root, path), (await readFile(path)).toString('base64'));
      }
    }
  };
  await walk(root);
  return snapshot;
}

/**
 * The SMTP server of a test file (implicit TLS, the monitor's login): started before its tests,
 * closed after them. Read `.current` inside a test.
 */
export function smtpForTests(): { readonly current: SmtpTestServer } {
  const holder = {} as { current: SmtpTestServer };
  beforeAll(async () => {
    holder.current = await startSmtpTestServer({
      mode: 'implicit-tls',
      users: { [SMTP_USER]: SMTP_PASSWORD },
    });
  });
  afterAll(async () => {
    await holder.current.close();
  });
  return holder;
}
