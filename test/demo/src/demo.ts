import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppDefinition, runApp } from '@broker-monitor/app-runtime';
import { type BrokerEmulator, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import { createApp as createReporter } from 'csv-to-confluence';
import { createApp as createMailer } from 'email-service';
import { createApp as createBackup } from 'file-backup-service';
import { createApp as createCollector } from 'node-to-csv';
import { type Clinic, clinicMappingEntry, demoClinics, MAINTENANCE_DAY } from './clinics.js';
import { type BrokerNodeState, clinicOnDay } from './simulate.js';

const DAY_MS = 86_400_000;
const ADMIN_KEY = 'demo-admin-key';
const CONFLUENCE_TOKEN = 'demo-confluence-token';
const SPACE = 'AKTIN';

export interface DemoOptions {
  /** Folder recreated for the demo's files. */
  outDir: string;
  /** Simulated days; the collector runs once a day at 06:00 UTC. */
  days?: number;
  /** The last simulated day (its 06:00 UTC run is the "now" of report, mails and backup). */
  lastDay?: Date;
  /** Progress lines; the demo prints them to the terminal. */
  say?: (line: string) => void;
}

export interface DemoResult {
  reportIndex: string;
  outbox: string;
  exitCodes: Record<string, number>;
}

/**
 * The whole monitor on simulated clinics: broker emulator fed day by day, the real collector
 * each simulated morning (clock passed in), then the reporter (local HTML report and the
 * Confluence emulator), the e-mail service into an outbox (the last clinic in a maintenance window
 * added on day 54, so it gets no mail), the weekly digest into the same outbox, and the backup into
 * the Confluence emulator.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const say = options.say ?? (() => undefined);
  const days = options.days ?? 60;
  const today = options.lastDay ?? new Date();
  const lastRun = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 6));
  const firstDay = new Date(lastRun.getTime() - (days - 1) * DAY_MS - 6 * 3_600_000);
  const out = options.outDir;
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, 'logs'), { recursive: true });

  const clinics = demoClinics();
  const broker = await startBrokerEmulator({ adminKey: ADMIN_KEY, now: firstDay });
  const confluence = await startConfluenceEmulator({
    flavour: 'datacenter',
    token: CONFLUENCE_TOKEN,
    spaces: [SPACE],
  });
  confluence.addPage({ title: 'Support', spaceKey: SPACE });
  const logs: WriteStream[] = [];
  const logTo = (name: string) => {
    const stream = createWriteStream(join(out, 'logs', `${name}.log`), { flags: 'a' });
    logs.push(stream);
    return stream as unknown as NodeJS.WriteStream;
  };
  try {
    const config = await writeDemoConfig(out, clinics, broker.url, confluence.url);
    const exitCodes: Record<string, number> = {};
    const run = async (name: string, app: AppDefinition, args: string[]) => {
      const stream = logTo(name);
      const code = await runApp(app, { argv: [config, ...args], stdout: stream, stderr: stream });
      // An app run more than once (the e-mail service: silence, mails, digest) reports its worst run.
      exitCodes[name] = Math.max(exitCodes[name] ?? 0, code);
    };

    say(`collecting ${clinics.length} simulated clinics over ${days} days …`);
    const known = new Set<string>();
    for (let day = 0; day < days; day++) {
      const runAt = new Date(firstDay.getTime() + day * DAY_MS + 6 * 3_600_000);
      for (const clinic of clinics)
        feedClinic(broker, clinic, clinicOnDay(clinic, day, firstDay, days), runAt, known);
      broker.setNow(runAt);
      await run('node-to-csv', createCollector({ now: () => runAt }), []);
      if (day === MAINTENANCE_DAY)
        await run('email-service', createMailer({ now: () => runAt }), maintenance(clinics, runAt, lastRun));
    }
    const now = () => lastRun;
    say('rendering the local report and publishing to the Confluence emulator …');
    await run('csv-to-confluence', createReporter({ now }), ['--out', join(out, 'report')]);
    await run('csv-to-confluence', createReporter({ now }), []);
    say('mailing into the outbox …');
    await run('email-service', createMailer({ now }), ['--outbox', join(out, 'outbox')]);
    say('writing the weekly digest into the outbox …');
    await run('email-service', createMailer({ now }), ['--digest', '--outbox', join(out, 'outbox')]);
    say('backing up into the Confluence emulator …');
    await run('file-backup-service', createBackup({ now }), []);
    return { reportIndex: join(out, 'report', 'index.html'), outbox: join(out, 'outbox'), exitCodes };
  } finally {
    await Promise.all(logs.map((stream) => new Promise((resolve) => stream.end(resolve))));
    await broker.close();
    await confluence.close();
  }
}

/** `silence add` for the last clinic: from the day it is added until three days after the last run. */
function maintenance(clinics: readonly Clinic[], addedAt: Date, lastRun: Date): string[] {
  const until = new Date(lastRun.getTime() + 3 * DAY_MS).toISOString().slice(0, 10);
  return [
    'silence',
    'add',
    '--node',
    (clinics.at(-1) as Clinic).id,
    '--from',
    addedAt.toISOString().slice(0, 10),
    '--until',
    until,
    '--reason',
    'DWH-Migration',
  ];
}

/**
 * What the clinic's DWH would have sent the broker since yesterday's run, uploaded at the contact
 * time (the broker stamps Last-Modified with its clock). Returns whether the clinic uploaded:
 * an offline clinic uploads nothing and the broker keeps what it had.
 */
export function feedClinic(
  broker: BrokerEmulator,
  clinic: Clinic,
  state: BrokerNodeState,
  runAt: Date,
  known: Set<string>,
): boolean {
  if (!state.listed) return false;
  const id = Number(clinic.id);
  if (!known.has(clinic.id)) {
    broker.addNode({ id, clientDN: `CN=${clinic.longName}, O=AKTIN, C=DE` });
    known.add(clinic.id);
  }
  const contact = state.lastContact ? new Date(state.lastContact) : undefined;
  broker.node(id).lastContact = contact;
  if (!contact || runAt.getTime() - contact.getTime() > DAY_MS) return false;
  broker.setNow(contact);
  if (state.stats) broker.uploadStats(id, state.stats);
  for (const [name, entries] of Object.entries(state.resources)) broker.uploadProperties(id, name, entries);
  return true;
}

async function writeDemoConfig(
  out: string,
  clinics: Clinic[],
  brokerUrl: string,
  confluenceUrl: string,
): Promise<string> {
  const mapping = Object.fromEntries(
    clinics.map((c) => [
      c.id,
      {
        ...clinicMappingEntry(c),
        ...(c.scenario.kind === 'testing' ? { CONSECUTIVE_IMPORT_DAYS: 5 } : {}),
      },
    ]),
  );
  await writeFile(join(out, 'mapping.json'), `${JSON.stringify(mapping, null, 2)}\n`);
  const header =
    'Node ID;Ansprechpartner für;Titel;Vorname;Nachname;Kontakt;Hauptansprechpartner?;Abgemeldet von Monitor-Benachrichtigungen?';
  const contacts = clinics.flatMap((c) => [
    `${c.id};Notaufnahme;Dr. med.;Anna;Beispiel-${c.id};notaufnahme@klinikum-${c.id}.example;ja;`,
    `${c.id};Notaufnahme;;Bernd;Vertretung-${c.id};vertretung@klinikum-${c.id}.example;;`,
    `${c.id};IT;;Carla;Technik-${c.id};it@klinikum-${c.id}.example;;`,
  ]);
  await writeFile(join(out, 'contacts.csv'), `${[header, ...contacts].join('\n')}\n`);
  const config = join(out, 'settings.toml');
  await writeFile(
    config,
    `# Written by the demo: emulators on loopback, nothing leaves this machine.
[BROKER]
URL = "${brokerUrl}"
API_KEY = "${ADMIN_KEY}"

[DIR]
WORKING = "${join(out, 'working')}"
CONTACTS = "${join(out, 'contacts.csv')}"

[CONFLUENCE]
URL = "${confluenceUrl}"
SPACE = "${SPACE}"
TOKEN = "${CONFLUENCE_TOKEN}"
MAPPING_JSON = "${join(out, 'mapping.json')}"

[SMTP]
SERVER = "127.0.0.1:465"
USERNAME = "monitor@aktin.example"
PASSWORD = "unused-in-outbox-mode"
STATIC_RECIPIENTS = ["it-team@aktin.example"]

[AKTIN]
DWH_VERSION = "1.5.1"
I2B2_VERSION = "1.5.3"
`,
  );
  return config;
}
