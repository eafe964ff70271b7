import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerEmulator, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { runAppCaptured } from '@broker-monitor/test-kit';
import { createApp } from '../src/index.js';

export const ADMIN_KEY = 'admin-secret-4f9d2c';

/** The two days the tests collect on (the emulator's clock starts at the first), and the DWH's start. */
export const DAY1 = new Date('2025-03-10T06:00:00Z');
export const DAY2 = new Date('2025-03-11T06:00:00Z');
export const START = '2025-03-01T08:00:00+01:00';

export interface Workspace {
  broker: BrokerEmulator;
  dir: string;
  config: string;
  /** Runs the real app in-process at the given time; returns exit code and the JSON log lines. */
  run(
    at: Date,
    extraArgs?: string[],
  ): Promise<{ code: number; lines: Array<Record<string, unknown>>; stdout: string }>;
}

export async function startWorkspace(
  options: { concurrency?: number; apiKey?: string } = {},
): Promise<Workspace> {
  const broker = await startBrokerEmulator({ adminKey: ADMIN_KEY, now: DAY1 });
  const dir = await mkdtemp(join(tmpdir(), 'bm-collect-'));
  const config = join(dir, 'settings.toml');
  await writeFile(
    config,
    `[BROKER]\nURL = "${broker.url}"\nAPI_KEY = "${options.apiKey ?? ADMIN_KEY}"\nCONCURRENCY = ${options.concurrency ?? 4}\nTIMEOUT_SECONDS = 2\n[DIR]\nWORKING = "${dir}/work"\n`,
  );
  return {
    broker,
    dir,
    config,
    async run(at, extraArgs = []) {
      broker.setNow(at);
      const run = await runAppCaptured(createApp({ now: () => at, retryDelayMs: 1 }), [config, ...extraArgs]);
      return { code: run.code, lines: run.logs, stdout: run.stdout };
    },
  };
}

/** A node that uploads stats and all four resources, as a healthy DWH does each day. */
export function uploadDay(
  broker: BrokerEmulator,
  id: number,
  day: {
    start: string;
    imported: number;
    updated?: number;
    invalid?: number;
    failed?: number;
    contact: Date;
  },
): void {
  // The broker stamps every upload with its own clock (Last-Modified): upload at the contact time.
  broker.setNow(day.contact);
  broker.node(id).lastContact = day.contact;
  broker.uploadStats(id, {
    start: day.start,
    lastWrite: new Date(day.contact.getTime() - 3_600_000),
    imported: day.imported,
    updated: day.updated ?? 0,
    invalid: day.invalid ?? 0,
    failed: day.failed ?? 0,
  });
  broker.uploadProperties(id, 'versions', { java: '11.0.22', 'dwh-j2ee': 'dwh-j2ee-1.5.1' });
  broker.uploadProperties(id, 'rscript', { 'r-base': '4.1.2' });
  broker.uploadProperties(id, 'python', { python3: '3.10.12' });
  broker.uploadProperties(id, 'import-scripts', { p21: '1.5' });
}
