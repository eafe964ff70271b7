/*
 * A "world": one working directory with its own broker emulator, Confluence emulator and SMTP
 * server, driven through the timeline. The suite runs the same timeline in several worlds — one
 * without faults (the reference) and one per fault family — and compares them.
 */
import { spawn } from 'node:child_process';
import { readFileSync, watch } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDefinition } from '@broker-monitor/app-runtime';
import { type BrokerEmulator, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { type ConfluenceEmulator, startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import type { Clinic } from '@broker-monitor/demo';
import { type SmtpTestServer, startSmtpTestServer } from '@broker-monitor/smtp-test-server';
import { testCertPath } from '@broker-monitor/test-certs';
import { jsonLogLines, runAppCaptured } from '@broker-monitor/test-kit';
import { createApp as createReporter } from 'csv-to-confluence';
import { createApp as createMailer } from 'email-service';
import { createApp as createBackup } from 'file-backup-service';
import { createApp as createCollector } from 'node-to-csv';
import { startTcpGate, type TcpGate } from './gate.js';
import { tally } from './tally.js';
import { type AppName, contactsCsv, faultClinics, feedBroker, mappingJson } from './timeline.js';

const ADMIN_KEY = 'fault-admin-key';
const CONFLUENCE_TOKEN = 'fault-confluence-token';
const SMTP_USER = 'monitor@aktin.example';
const SMTP_PASSWORD = 'fault-smtp-password';
export const SPACE = 'AKTIN';
export const STATIC_RECIPIENT = 'it-team@aktin.example';
/** Short first retry delay for in-process runs (the bins keep their defaults). */
const RETRY_DELAY_MS = 20;

/** One JSON log line of a run. */
export type LogLine = Record<string, unknown>;

export interface RunRecord {
  app: AppName;
  day: number;
  /** Exit code; null when the process was killed. */
  code: number | null;
  killed: boolean;
  lines: LogLine[];
}

export interface RunOptions {
  /** Use the config that reaches the broker and the SMTP server directly, past the gates. */
  direct?: boolean;
}

export interface BinOptions extends RunOptions {
  /** SIGKILL after this long, if still running. */
  killAfterMs?: number;
  /**
   * SIGKILL at the n-th file-system event in DIR.WORKING (a file created, written or renamed):
   * points in the run's sequence of writes, where crash-safety windows are, rather than in time.
   */
  killAtFileEvent?: number;
  /** SIGKILL at the first file-system event on a path (relative to DIR.WORKING) that matches. */
  killAtFile?: RegExp;
}

export interface WorldOptions {
  name: string;
  /** The run instant of each day (in-process runs use it as their clock). */
  runs: readonly Date[];
  brokerTimeoutSeconds?: number;
  confluenceTimeoutSeconds?: number;
  brokerConcurrency?: number;
  /** TCP gates in front of the broker and the SMTP server, to hold a run after it took the lock. */
  gates?: boolean;
  /** Read and parse the store between every two event-loop turns of in-process collector and mailer runs. */
  readersAlongside?: boolean;
}

export interface World {
  readonly name: string;
  readonly runs: readonly Date[];
  readonly clinics: readonly Clinic[];
  readonly root: string;
  readonly working: string;
  readonly config: string;
  readonly broker: BrokerEmulator;
  readonly confluence: ConfluenceEmulator;
  readonly smtp: SmtpTestServer;
  readonly brokerGate: TcpGate | undefined;
  readonly smtpGate: TcpGate | undefined;
  /** Every run so far, in order. */
  readonly records: RunRecord[];
  readonly readersAlongside: boolean;
  /** The day of each message the SMTP server accepted (same index as smtp.messages). */
  readonly mailDays: number[];
  /** Feeds the broker with what the clinics uploaded before the run of `day`. */
  feed(day: number): void;
  /** Runs an app in-process with the day's run instant as its clock. */
  run(app: AppName, day: number, options?: RunOptions): Promise<RunRecord>;
  /** Runs an app's real bin (system clock); SIGKILLs it after `killAfterMs` if it is still running. */
  bin(
    app: AppName,
    day: number,
    options?: BinOptions,
  ): Promise<RunRecord & { ms: number; fileEvents: number }>;
  /** Starts an in-process run without waiting (for overlapping runs). */
  start(app: AppName, day: number): Promise<RunRecord>;
  clearFaults(): void;
  close(): Promise<void>;
}

const BIN_DIR = new URL('../../../apps/', import.meta.url).pathname;

/** `node` flags from a bin's shebang (`#!/usr/bin/env -S node --expose-gc …`), so it runs as installed. */
function binCommand(app: AppName): string[] {
  const bin = join(BIN_DIR, app, 'dist', 'cli.js');
  const shebang = readFileSync(bin, 'utf8').split('\n', 1)[0] ?? '';
  const flags = shebang.split(/\s+/).slice(shebang.split(/\s+/).indexOf('node') + 1);
  return [...flags, bin];
}

function appFor(app: AppName, now: () => Date): AppDefinition {
  switch (app) {
    case 'node-to-csv':
      return createCollector({ now, retryDelayMs: RETRY_DELAY_MS });
    case 'csv-to-confluence':
      return createReporter({ now });
    case 'email-service':
      return createMailer({ now });
    case 'file-backup-service':
      return createBackup({ now, retryDelayMs: RETRY_DELAY_MS });
  }
}

export async function createWorld(options: WorldOptions): Promise<World> {
  const clinics = faultClinics();
  const runs = options.runs;
  const root = await mkdtemp(join(tmpdir(), `bm-faults-${options.name}-`));
  const working = join(root, 'working');
  await mkdir(working);
  const broker = await startBrokerEmulator({ adminKey: ADMIN_KEY, now: runs[0] as Date });
  const confluence = await startConfluenceEmulator({
    flavour: 'datacenter',
    token: CONFLUENCE_TOKEN,
    spaces: [SPACE],
  });
  confluence.addPage({ title: 'Support', spaceKey: SPACE });
  const smtp = await startSmtpTestServer({ mode: 'implicit-tls', users: { [SMTP_USER]: SMTP_PASSWORD } });
  const brokerPort = Number(new URL(broker.url).port);
  const brokerGate = options.gates ? await startTcpGate(brokerPort) : undefined;
  const smtpGate = options.gates ? await startTcpGate(smtp.port) : undefined;

  await writeFile(join(root, 'mapping.json'), mappingJson(clinics));
  await writeFile(join(root, 'contacts.csv'), contactsCsv(clinics));
  const configText = (ports: { broker: number; smtp: number }) =>
    `# fault suite world "${options.name}": emulators on loopback only
REQUESTS_CA_BUNDLE = "${testCertPath}"

[BROKER]
URL = "http://127.0.0.1:${ports.broker}"
API_KEY = "${ADMIN_KEY}"
CONCURRENCY = ${options.brokerConcurrency ?? 4}
TIMEOUT_SECONDS = ${options.brokerTimeoutSeconds ?? 1}

[DIR]
WORKING = "${working}"
CONTACTS = "${join(root, 'contacts.csv')}"

[CONFLUENCE]
URL = "${confluence.url}"
SPACE = "${SPACE}"
TOKEN = "${CONFLUENCE_TOKEN}"
MAPPING_JSON = "${join(root, 'mapping.json')}"
TIMEOUT_SECONDS = ${options.confluenceTimeoutSeconds ?? 1}
CONCURRENCY = 4

[SMTP]
SERVER = "127.0.0.1:${ports.smtp}"
USERNAME = "${SMTP_USER}"
PASSWORD = "${SMTP_PASSWORD}"
STATIC_RECIPIENTS = ["${STATIC_RECIPIENT}"]

[AKTIN]
DWH_VERSION = "1.5.1"
I2B2_VERSION = "1.5.3"
`;
  const config = join(root, 'settings.toml');
  await writeFile(
    config,
    configText({ broker: brokerGate?.port ?? brokerPort, smtp: smtpGate?.port ?? smtp.port }),
  );
  // The same working directory, past the gates: a second run that ignored the lock would not hang at a gate.
  const directConfig = join(root, 'settings-direct.toml');
  await writeFile(directConfig, configText({ broker: brokerPort, smtp: smtp.port }));
  tally.nodes += clinics.length;

  const known = new Set<string>();
  const records: RunRecord[] = [];
  const mailDays: number[] = [];
  const tagMails = (day: number) => {
    while (mailDays.length < smtp.messages.length) mailDays.push(day);
  };

  const start = async (app: AppName, day: number, runOptions: RunOptions = {}): Promise<RunRecord> => {
    const at = runs[day] as Date;
    tally.runs++;
    const run = await runAppCaptured(
      appFor(app, () => new Date(at)),
      [runOptions.direct ? directConfig : config],
    );
    tagMails(day);
    const record: RunRecord = { app, day, code: run.code, killed: false, lines: run.logs };
    records.push(record);
    return record;
  };

  return {
    name: options.name,
    runs,
    clinics,
    root,
    working,
    config,
    broker,
    confluence,
    smtp,
    brokerGate,
    smtpGate,
    records,
    readersAlongside: options.readersAlongside ?? false,
    mailDays,
    feed: (day) => feedBroker(broker, clinics, day, runs, known),
    run: start,
    start,
    bin(app, day, binOptions = {}) {
      tally.runs++;
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [...binCommand(app), binOptions.direct ? directConfig : config],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, LOG_LEVEL: 'info' },
          },
        );
        let stdout = '';
        child.stdout.on('data', (chunk) => {
          stdout += String(chunk);
        });
        child.stderr.resume();
        const timer =
          binOptions.killAfterMs === undefined
            ? undefined
            : setTimeout(() => child.kill('SIGKILL'), binOptions.killAfterMs);
        let fileEvents = 0;
        const watcher = watch(working, { recursive: true }, (_event, path) => {
          fileEvents++;
          if (fileEvents === binOptions.killAtFileEvent) child.kill('SIGKILL');
          if (path !== null && binOptions.killAtFile?.test(path)) child.kill('SIGKILL');
        });
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          watcher.close();
          tagMails(day);
          const record = { app, day, code, killed: signal === 'SIGKILL', lines: jsonLogLines(stdout) };
          records.push(record);
          resolve({ ...record, ms: performance.now() - started, fileEvents });
        });
      });
    },
    clearFaults() {
      broker.clearFaults();
      confluence.clearFaults();
      smtp.acceptAll();
    },
    async close() {
      await brokerGate?.close();
      await smtpGate?.close();
      await broker.close();
      await confluence.close();
      await smtp.close();
    },
  };
}
