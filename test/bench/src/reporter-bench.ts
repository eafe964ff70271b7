import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@broker-monitor/config';
import { binPath, runBin } from './bin-run.js';
import { startEmulatorHost } from './emulator-host.js';
import { BENCH_CLOUD_EMAIL, BENCH_CONFLUENCE_TOKEN, BENCH_SPACE } from './fixtures.js';
import { nodeMapping, writeReporterStore } from './store-fixture.js';

/** A working directory with a year of data per node, shared by the reporter's runs. */
export interface ReporterStore {
  working: string;
  /** Nodes 1…nodes have folders. */
  nodes: number;
}

export async function makeReporterStore(dir: string, nodes: number, now: Date): Promise<ReporterStore> {
  const working = join(dir, 'working');
  await writeReporterStore(working, nodes, now);
  return { working, nodes };
}

export type ReporterRunKind = 'first' | 'unchanged' | 'all changed' | 'local report';

export type ConfluenceFlavour = 'datacenter' | 'cloud';

export interface ReporterRun {
  nodes: number;
  kind: ReporterRunKind;
  /** The Confluence of the run; absent for the local report. */
  flavour?: ConfluenceFlavour;
  exitCode: number | null;
  wallMs: number;
  /** Confluence requests of the run (0 for the local report). */
  requests: number;
  /** requests ÷ node pages. */
  requestsPerPage: number;
  /** requests × delay ÷ CONFLUENCE.CONCURRENCY; 0 for the local report. */
  lowerBoundMs: number;
  peakRssBytes: number;
}

export interface ReporterBenchOptions {
  store: ReporterStore;
  /** Nodes in the mapping (1…nodes of the store). */
  nodes: number;
  /** Where the run's config, mapping and output are made; left for the caller to remove (see CollectorBenchOptions.dir). */
  dir: string;
}

async function writeMapping(file: string, nodes: number, importInterface?: string): Promise<void> {
  await writeFile(file, JSON.stringify(nodeMapping(nodes, importInterface)));
}

/**
 * The real `csv-to-confluence` bin against the Confluence emulator: a first run that creates every
 * page, a second one with nothing changed, and a third in which every node page changed.
 */
export async function benchReporterConfluence(
  options: ReporterBenchOptions & { delayMs: number; flavour: ConfluenceFlavour },
): Promise<ReporterRun[]> {
  const confluence = await startEmulatorHost({
    kind: 'confluence',
    flavour: options.flavour,
    contacts: options.nodes,
    delayMs: options.delayMs,
  });
  const dir = await mkdtemp(join(options.dir, `reporter-${options.flavour}-${options.nodes}-`));
  try {
    const mapping = join(dir, 'mapping.json');
    const config = join(dir, 'settings.toml');
    await writeFile(
      config,
      [
        '[DIR]',
        `WORKING = ${JSON.stringify(options.store.working)}`,
        '[CONFLUENCE]',
        `URL = ${JSON.stringify(confluence.url)}`,
        `SPACE = ${JSON.stringify(BENCH_SPACE)}`,
        `TOKEN = ${JSON.stringify(BENCH_CONFLUENCE_TOKEN)}`,
        ...(options.flavour === 'cloud' ? [`EMAIL = ${JSON.stringify(BENCH_CLOUD_EMAIL)}`] : []),
        `MAPPING_JSON = ${JSON.stringify(mapping)}`,
        '',
      ].join('\n'),
    );
    const { concurrency } = (await loadConfig(config, 'csv-to-confluence')).confluence;
    const runs: ReporterRun[] = [];
    for (const kind of ['first', 'unchanged', 'all changed'] as const) {
      // The import interface shows on every page: changing it changes them all.
      await writeMapping(mapping, options.nodes, kind === 'all changed' ? 'HL7 ADT (geändert)' : undefined);
      await confluence.clearRequests();
      const measured = await runBin(binPath('csv-to-confluence'), [config], { scratchDir: dir });
      if (measured.exitCode !== 0) {
        throw new Error(`csv-to-confluence exited ${measured.exitCode}:\n${measured.stderrTail}`);
      }
      const requests = (await confluence.requests()).length;
      runs.push({
        nodes: options.nodes,
        kind,
        flavour: options.flavour,
        exitCode: measured.exitCode,
        wallMs: measured.wallMs,
        requests,
        requestsPerPage: requests / options.nodes,
        lowerBoundMs: (requests * options.delayMs) / concurrency,
        peakRssBytes: measured.peakRssBytes,
      });
    }
    return runs;
  } finally {
    await confluence.close();
  }
}

/** The real `csv-to-confluence … --out DIR`: every node page, the summary and the heatmap as local files. */
export async function benchReporterLocal(options: ReporterBenchOptions): Promise<ReporterRun> {
  const dir = await mkdtemp(join(options.dir, `report-${options.nodes}-`));
  const mapping = join(dir, 'mapping.json');
  const config = join(dir, 'settings.toml');
  await writeMapping(mapping, options.nodes);
  await writeFile(
    config,
    [
      '[DIR]',
      `WORKING = ${JSON.stringify(options.store.working)}`,
      '[CONFLUENCE]',
      `MAPPING_JSON = ${JSON.stringify(mapping)}`,
      '',
    ].join('\n'),
  );
  const measured = await runBin(binPath('csv-to-confluence'), [config, '--out', join(dir, 'report')], {
    scratchDir: dir,
  });
  if (measured.exitCode !== 0) {
    throw new Error(`csv-to-confluence --out exited ${measured.exitCode}:\n${measured.stderrTail}`);
  }
  return {
    nodes: options.nodes,
    kind: 'local report',
    exitCode: measured.exitCode,
    wallMs: measured.wallMs,
    requests: 0,
    requestsPerPage: 0,
    lowerBoundMs: 0,
    peakRssBytes: measured.peakRssBytes,
  };
}
