/*
 * A working directory as a year of daily collector runs leaves it, for the reporter: per node the
 * stats CSV of every day since 1 January (and of last year while the 42 heatmap days reach into
 * it), 20 errors and the four resource snapshots. Written literally, as files the collector wrote.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ResourceName, STATS_COLUMNS } from '@broker-monitor/csv-store';
import { storeFileName } from '@broker-monitor/csv-store/formats';
import { benchNodeName } from './fixtures.js';

const STATS_HEADER = STATS_COLUMNS.join(';');
const DAY = 86_400_000;
/** Covers the heatmap's 42 days early in January too. */
const MIN_DAYS = 60;
const WRITE_BATCH = 64;

/** The last daily run (06:00 UTC) at or before `now`. */
export function lastRunTime(now: Date): Date {
  const run = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 6));
  return run > now ? new Date(run.getTime() - DAY) : run;
}

const instant = (at: Date) => at.toISOString().replace('.000Z', 'Z');
const pythonUtc = (at: Date) => `${at.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;

/** A node's daily error rate on a day: most nodes healthy, some erring, a few with rising rates. */
function dailyRates(node: number, age: number): { imported: number; invalid: number; failed: number } {
  const imported = 150 + ((node * 37 + age * 13) % 250);
  if (node % 10 === 0 && age < 10) return { imported, invalid: 2 + (node % 7), failed: 10 - age };
  if (node % 7 === 0) return { imported, invalid: (node + age) % 11, failed: 0 };
  if ((node + age) % 29 === 0) return { imported: 0, invalid: 0, failed: 0 };
  return { imported, invalid: (node + age) % 3 === 0 ? 1 : 0, failed: 0 };
}

function rate(errors: number, total: number): string {
  return total === 0 ? '-' : ((errors / total) * 100).toFixed(2);
}

/** The stats CSV text per year (`{2025: text, 2026: text}`) of one node, rows up to `end`. */
export function statsCsvByYear(node: number, end: Date): Map<number, string> {
  const days = Math.max(
    MIN_DAYS,
    Math.round((end.getTime() - Date.UTC(end.getUTCFullYear(), 0, 1)) / DAY) + 1,
  );
  const byYear = new Map<number, string[]>();
  let imported = 100_000;
  for (let age = days - 1; age >= 0; age--) {
    const at = new Date(end.getTime() - age * DAY);
    const daily = dailyRates(node, age);
    const updated = Math.round(daily.imported / 4);
    imported += daily.imported;
    const total = daily.imported + updated + daily.invalid + daily.failed;
    const row = [
      pythonUtc(at),
      instant(new Date(at.getTime() - 60_000)),
      '2025-01-02T08:00:00+01:00',
      instant(new Date(at.getTime() - 3_600_000)),
      '-',
      imported,
      20_000 + days - age,
      300,
      12,
      '1.03',
      daily.imported,
      updated,
      daily.invalid,
      daily.failed,
      rate(daily.invalid + daily.failed, total),
    ].join(';');
    const year = at.getUTCFullYear();
    const rows = byYear.get(year) ?? [STATS_HEADER];
    rows.push(row);
    byYear.set(year, rows);
  }
  return new Map([...byYear].map(([year, rows]) => [year, `${rows.join('\n')}\n`]));
}

function errorsCsv(node: number, end: Date): string {
  const lines = ['timestamp;repeats;content'];
  for (let e = 0; e < 20; e++) {
    const at = new Date(end.getTime() - (e + 1) * 5 * 3_600_000);
    lines.push(
      `${instant(at)};${e + 1};"Fehler beim Import von Fall ${node}-${e}: <Validation> ""Geburtsdatum fehlt"""`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const RESOURCES: Readonly<Record<string, string>> = {
  versions:
    '{"os": "Ubuntu 22.04.4 LTS", "kernel": "5.15.0-105-generic", "java": "Ubuntu/11.0.22", "j2ee-impl": "22.0.1.Final", "apache2": "2.4.52", "postgres": "14.11", "dwh-api": "1.4", "dwh-j2ee": "dwh-j2ee-1.5.1"}',
  rscript: '{"r-base-core": "4.1.2", "r-cran-tidyverse": "1.3.1"}',
  python: '{"python3": "3.10.12", "python3-pandas": "1.3.5"}',
  'import-scripts': '{"p21": "1.5", "p22": ""}',
};

async function writeNode(working: string, node: number, end: Date): Promise<void> {
  const id = String(node);
  const folder = join(working, id);
  await mkdir(folder, { recursive: true });
  const writes = [...statsCsvByYear(node, end)].map(([year, text]) =>
    writeFile(join(folder, storeFileName({ kind: 'stats', node: id, year })), text),
  );
  const errorsFile = storeFileName({ kind: 'errors', node: id, year: end.getUTCFullYear() });
  writes.push(writeFile(join(folder, errorsFile), errorsCsv(node, end)));
  for (const [name, json] of Object.entries(RESOURCES)) {
    const file = storeFileName({ kind: 'resource', node: id, resource: name as ResourceName });
    writes.push(writeFile(join(folder, file), json));
  }
  await Promise.all(writes);
}

/** Writes nodes 1…`nodes` into `working`, their last row at the last 06:00 UTC before `now`. */
export async function writeReporterStore(working: string, nodes: number, now: Date): Promise<void> {
  const end = lastRunTime(now);
  for (let first = 1; first <= nodes; first += WRITE_BATCH) {
    const batch: Promise<void>[] = [];
    for (let node = first; node < first + WRITE_BATCH && node <= nodes; node++) {
      batch.push(writeNode(working, node, end));
    }
    await Promise.all(batch);
  }
}

/** The CONFLUENCE.MAPPING_JSON of nodes 1…`nodes`; `importInterface` lets a run change every page. */
export function nodeMapping(nodes: number, importInterface = 'HL7 ADT'): Record<string, unknown> {
  const mapping: Record<string, unknown> = {};
  for (let node = 1; node <= nodes; node++) {
    mapping[String(node)] = {
      COMMON_NAME: benchNodeName(node),
      LONG_NAME: `Klinikum Nummer ${node}, Zentrale Notaufnahme & Chest Pain Unit`,
      JIRA_LABELS: [`klinikum-${node}`],
      HOSPITAL_INFORMATION_SYSTEM: 'ORBIS',
      IMPORT_INTERFACE: importInterface,
    };
  }
  return mapping;
}
