// Builds a working directory as the collector (Python or ours) leaves it: CSV text and JSON files
// per node, written literally here so the tests do not depend on the store's own writers.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppRun, outcomeOf, runAppCaptured, STATS_HEADER } from '@broker-monitor/test-kit';
import { createApp } from '../src/index.js';

export { STATS_HEADER };

export interface DayRow {
  date: string;
  lastContact: string;
  lastStart: string;
  lastWrite: string;
  lastReject: string;
  daily: { imported: string; updated: string; invalid: string; failed: string; errorRate: string };
}

/** Python's `str(datetime)` of a UTC instant, as the collector writes `date`. */
export function pythonUtc(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/** The broker's `Instant.toString()`. */
export function instantText(instant: Date): string {
  return instant.toISOString().replace('.000Z', 'Z');
}

/** The daily figures of an ONLINE day. */
export const DAILY: DayRow['daily'] = {
  imported: '120',
  updated: '30',
  invalid: '0',
  failed: '0',
  errorRate: '0.00',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface NodeHistory {
  /** Last row's run time; rows go back one per day. */
  end: Date;
  days: number;
  /** Per-day overrides by age (0 = last row). */
  day?: (age: number, row: DayRow) => Partial<DayRow> | undefined;
}

/** One stats row per day at the same time, an ONLINE node unless `day` changes values. */
export function dayRows(history: NodeHistory): DayRow[] {
  const rows: DayRow[] = [];
  for (let age = history.days - 1; age >= 0; age--) {
    const at = new Date(history.end.getTime() - age * DAY);
    const row: DayRow = {
      date: pythonUtc(at),
      lastContact: instantText(new Date(at.getTime() - 120_000)),
      lastStart: '2025-01-02T08:00:00+01:00',
      lastWrite: '2025-06-14T23:15:00+02:00',
      lastReject: '-',
      daily: { ...DAILY },
    };
    rows.push({ ...row, ...history.day?.(age, row) });
  }
  return rows;
}

export function statsCsv(rows: readonly DayRow[]): string {
  const lines = rows.map((r, i) =>
    [
      r.date,
      r.lastContact,
      r.lastStart,
      r.lastWrite,
      r.lastReject,
      String(1000 + i * 150),
      String(200 + i * 30),
      '3',
      '1',
      '0.33',
      r.daily.imported,
      r.daily.updated,
      r.daily.invalid,
      r.daily.failed,
      r.daily.errorRate,
    ].join(';'),
  );
  return `${[STATS_HEADER, ...lines].join('\n')}\n`;
}

export interface ErrorLine {
  timestamp: string;
  repeats: string;
  content: string;
}

/** Quoted as Python's csv module does when a field holds `;`, `"` or a line break. */
function csvField(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function errorsCsv(errors: readonly ErrorLine[]): string {
  const lines = errors.map((e) => [e.timestamp, e.repeats, e.content].map(csvField).join(';'));
  return `${['timestamp;repeats;content', ...lines].join('\n')}\n`;
}

export interface NodeFiles {
  id: string;
  year?: number;
  rows?: readonly DayRow[];
  /** Last year's file, e.g. for the status history in January. */
  lastYearRows?: readonly DayRow[];
  errors?: readonly ErrorLine[];
  /** Raw text of a file, e.g. to break it. */
  rawStats?: string;
  versions?: Record<string, string>;
}

export async function writeNode(working: string, node: NodeFiles): Promise<void> {
  const folder = join(working, node.id);
  const year = node.year ?? 2025;
  await mkdir(folder, { recursive: true });
  if (node.rawStats !== undefined)
    await writeFile(join(folder, `${node.id}_stats_${year}.csv`), node.rawStats);
  else if (node.rows) await writeFile(join(folder, `${node.id}_stats_${year}.csv`), statsCsv(node.rows));
  if (node.lastYearRows) {
    await writeFile(join(folder, `${node.id}_stats_${year - 1}.csv`), statsCsv(node.lastYearRows));
  }
  if (node.errors) await writeFile(join(folder, `${node.id}_errors_${year}.csv`), errorsCsv(node.errors));
  const versions = node.versions ?? {
    os: 'Ubuntu 22.04.4 LTS',
    kernel: '5.15.0-105-generic',
    java: 'Ubuntu/11.0.22',
    'dwh-j2ee': 'dwh-j2ee-1.5.1',
  };
  await writeFile(
    join(folder, `${node.id}_versions.txt`),
    JSON.stringify(versions).replaceAll('":"', '": "'),
  );
  await writeFile(join(folder, `${node.id}_rscript.txt`), '{"r-base-core": "4.1.2", "r-cran-tidyverse": ""}');
  await writeFile(join(folder, `${node.id}_python.txt`), '{}');
}

export interface MappingEntry {
  COMMON_NAME: string;
  [key: string]: unknown;
}

export interface Setup {
  dir: string;
  working: string;
  configPath: string;
  mappingPath: string;
}

export interface SetupOptions {
  mapping: Record<string, MappingEntry>;
  confluence?: { url: string; token: string; space?: string; email?: string | undefined };
  contactsCsv?: string;
  concurrency?: number;
}

/** A temp folder with settings.toml, mapping.json and an empty working directory. */
export async function makeSetup(options: SetupOptions): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'bm-c2c-'));
  const working = join(dir, 'working');
  await mkdir(working);
  const mappingPath = join(dir, 'mapping.json');
  await writeFile(mappingPath, JSON.stringify(options.mapping, null, 2));
  const lines = ['[DIR]', `WORKING = ${JSON.stringify(working)}`];
  if (options.contactsCsv !== undefined) {
    const contactsPath = join(dir, 'contacts.csv');
    await writeFile(contactsPath, options.contactsCsv);
    lines.push(`CONTACTS = ${JSON.stringify(contactsPath)}`);
  }
  lines.push('[CONFLUENCE]', `MAPPING_JSON = ${JSON.stringify(mappingPath)}`);
  if (options.concurrency !== undefined) lines.push(`CONCURRENCY = ${options.concurrency}`);
  if (options.confluence) {
    lines.push(
      `URL = ${JSON.stringify(options.confluence.url)}`,
      `SPACE = ${JSON.stringify(options.confluence.space ?? 'AKTIN')}`,
      `TOKEN = ${JSON.stringify(options.confluence.token)}`,
    );
    if (options.confluence.email) lines.push(`EMAIL = ${JSON.stringify(options.confluence.email)}`);
  }
  const configPath = join(dir, 'settings.toml');
  await writeFile(configPath, `${lines.join('\n')}\n`);
  return { dir, working, configPath, mappingPath };
}

export type AppResult = AppRun;

/** Runs the real app as the bin does, with the test's clock. */
export function runReporter(now: Date, argv: string[]): Promise<AppResult> {
  return runAppCaptured(createApp({ now: () => now }), argv);
}

export { outcomeOf };

export const HOURS = HOUR;
export const DAYS = DAY;
