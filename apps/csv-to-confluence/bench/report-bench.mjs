// Writes the local report of 2000 nodes with the real bin and prints wall time and peak RSS.
// Targets: < 10 s and < 150 MB. Run after a build: `pnpm --filter csv-to-confluence bench`.
// The store (stats since 1 January, 20 errors and four resources per node) is generated first,
// in this process; the report is made by a child process started with the node flags of the
// bin's shebang, and once more with V8's defaults for comparison.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { storeFileName } from '@broker-monitor/csv-store/formats';

const NODES = Number(process.env.BENCH_NODES ?? 2000);
const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const preload = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));
const HEADER =
  'date;last_contact;last_start;last_write;last_reject;imported;updated;invalid;failed;error_rate;daily_imported;daily_updated;daily_invalid;daily_failed;daily_error_rate';

const now = new Date();
const year = now.getUTCFullYear();
const end = new Date(Date.UTC(year, now.getUTCMonth(), now.getUTCDate(), 6, 0, 0));
if (end > now) end.setUTCDate(end.getUTCDate() - 1);
const days = Math.max(3, Math.round((end - Date.UTC(year, 0, 1)) / 86_400_000) + 1);

const iso = (d) => d.toISOString().replace('.000Z', 'Z');
const pythonUtc = (d) => `${d.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;

function statsCsv(node) {
  const lines = [HEADER];
  for (let age = days - 1; age >= 0; age--) {
    const at = new Date(end.getTime() - age * 86_400_000);
    const imported = (node * 7 + age * 13) % 400;
    const invalid = (node + age) % 11 === 0 ? 9 : node % 5;
    const rate = ((invalid / (imported + 40 + invalid)) * 100).toFixed(2);
    lines.push(
      [
        pythonUtc(at),
        iso(new Date(at.getTime() - 60_000)),
        '2025-01-02T08:00:00+01:00',
        iso(new Date(at.getTime() - 3_600_000)),
        '-',
        100_000 + age,
        20_000,
        300,
        12,
        '1.03',
        imported,
        40,
        invalid,
        0,
        rate,
      ].join(';'),
    );
  }
  return `${lines.join('\n')}\n`;
}

function errorsCsv(node) {
  const lines = ['timestamp;repeats;content'];
  for (let e = 0; e < 20; e++) {
    const day = String(28 - e).padStart(2, '0');
    lines.push(
      `${year}-01-${day}T08:00:00+01:00;${e + 1};"Fehler beim Import von Fall ${node}-${e}: <Validation> ""Geburtsdatum fehlt"""`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function makeStore(dir) {
  const working = join(dir, 'working');
  const mapping = {};
  for (let node = 1; node <= NODES; node++) {
    const id = String(node);
    mapping[id] = {
      COMMON_NAME: `[${id}] Klinikum Nummer ${id} – Zentrale Notaufnahme`,
      LONG_NAME: `Klinikum Nummer ${id}, Zentrale Notaufnahme & Chest Pain Unit`,
      JIRA_LABELS: [`klinikum-${id}`],
      HOSPITAL_INFORMATION_SYSTEM: 'ORBIS',
      IMPORT_INTERFACE: 'HL7 ADT',
    };
    const folder = join(working, id);
    await mkdir(folder, { recursive: true });
    await Promise.all([
      writeFile(join(folder, storeFileName({ kind: 'stats', node: id, year })), statsCsv(node)),
      writeFile(join(folder, storeFileName({ kind: 'errors', node: id, year })), errorsCsv(node)),
      writeFile(
        join(folder, storeFileName({ kind: 'resource', node: id, resource: 'versions' })),
        '{"os": "Ubuntu 22.04.4 LTS", "kernel": "5.15.0-105-generic", "java": "Ubuntu/11.0.22", "j2ee-impl": "22.0.1.Final", "apache2": "2.4.52", "postgres": "14.11", "dwh-api": "1.4", "dwh-j2ee": "dwh-j2ee-1.5.1"}',
      ),
      writeFile(
        join(folder, storeFileName({ kind: 'resource', node: id, resource: 'rscript' })),
        '{"r-base-core": "4.1.2", "r-cran-tidyverse": "1.3.1"}',
      ),
      writeFile(
        join(folder, storeFileName({ kind: 'resource', node: id, resource: 'python' })),
        '{"python3-pandas": "1.3.5"}',
      ),
      writeFile(
        join(folder, storeFileName({ kind: 'resource', node: id, resource: 'import-scripts' })),
        '{"p21": "1.5", "p22": ""}',
      ),
    ]);
  }
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
  const config = join(dir, 'settings.toml');
  await writeFile(
    config,
    `[DIR]\nWORKING = ${JSON.stringify(working)}\n[CONFLUENCE]\nMAPPING_JSON = ${JSON.stringify(join(dir, 'mapping.json'))}\n`,
  );
  return config;
}

/** The node flags of the bin's shebang (`#!/usr/bin/env -S node --flag …`). */
async function shebangFlags() {
  const first = (await readFile(bin, 'utf8')).split('\n', 1)[0] ?? '';
  return first.split(/\s+/).filter((part) => part.startsWith('--'));
}

function runReport(nodeFlags, config, out) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, '--import', preload, bin, config, '--out', out], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
      if (code !== 0 || !line) reject(new Error(`report exited ${code}: ${stderr}`));
      else resolve({ wallMs, ...JSON.parse(line.slice(6)) });
    });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'bm-c2c-bench-'));
try {
  const generated = performance.now();
  const config = await makeStore(dir);
  console.log(
    `store: ${NODES} nodes × ${days} stats rows, 20 errors, 4 resources (${((performance.now() - generated) / 1000).toFixed(1)} s to generate)`,
  );
  const flags = await shebangFlags();
  for (const [label, nodeFlags] of [
    [`bin flags (${flags.join(' ') || 'none'})`, flags],
    ['V8 defaults', []],
  ]) {
    const out = join(dir, 'report');
    const result = await runReport(nodeFlags, config, out);
    console.log(
      `${label.padEnd(34)} wall ${(result.wallMs / 1000).toFixed(2)} s, peak RSS ${result.peakMb.toFixed(0)} MB`,
    );
    await rm(out, { recursive: true, force: true });
  }
  console.log('targets: < 10 s, < 150 MB (with the bin flags)');
} finally {
  await rm(dir, { recursive: true, force: true });
}
