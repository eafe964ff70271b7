import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@broker-monitor/config';
import { binPath, runBin } from './bin-run.js';
import { type EmulatorHost, startEmulatorHost } from './emulator-host.js';
import { BENCH_ADMIN_KEY } from './fixtures.js';

export interface CollectorBenchOptions {
  nodes: number;
  /** BROKER.CONCURRENCY; 1 is the Python version's one request at a time; unset: the default. */
  concurrency?: number;
  /** Added to every broker answer. */
  latencyMs: number;
  /** Runs one after the other on the same working directory: the second gets 304s. */
  runs: number;
  /**
   * How often the series of runs is repeated, each time on a new working directory (default 1).
   * A run's wall time is then the median, its peak RSS the largest: on a small machine one run
   * can be slowed by whatever else the machine does.
   */
  repeats?: number;
  /**
   * Where the working directory is made. It is left there for the caller to remove once all
   * measurements are done: on an ext4 without a journal, files deleted just before a run make
   * every file that run creates slower (the kernel skips recently deleted inodes one by one).
   */
  dir: string;
  /** How the bin is started (see `BinRunOptions.startedAs`); default through its shebang. */
  startedAs?: 'shebang' | 'node';
}

export interface CollectorRun {
  nodes: number;
  concurrency: number;
  /** 1 for the first run (empty working directory), 2 for the next one. */
  run: number;
  exitCode: number | null;
  wallMs: number;
  /** Every request of the run: status and node list included. */
  requests: number;
  /** Requests to `/broker/node/{id}/…` divided by the nodes. */
  requestsPerNode: number;
  /** 304 answers divided by the nodes. */
  notModifiedPerNode: number;
  /** requests × latency ÷ concurrency. */
  lowerBoundMs: number;
  /** wall ÷ lower bound. */
  ratio: number;
  peakRssBytes: number;
  /** User + system CPU of the bin's process, from the kernel's count of reaped children. */
  cpuMs: number;
  /** `cpuMs` ÷ nodes. */
  cpuMsPerNode: number;
  /** `'node'` when started as `node dist/cli.js`, without the shebang's node flags. */
  startedAs: 'shebang' | 'node';
  /** Repetitions measured; `wallMs` is their median. */
  repeats: number;
  wallMinMs: number;
  wallMaxMs: number;
}

/** The real `node-to-csv` bin, run as a whole process against the broker emulator. */
export async function benchCollector(options: CollectorBenchOptions): Promise<CollectorRun[]> {
  const broker = await startEmulatorHost({
    kind: 'broker',
    nodes: options.nodes,
    latencyMs: options.latencyMs,
    nowMs: Date.now(),
  });
  try {
    const repetitions: CollectorRun[][] = [];
    for (let repeat = 0; repeat < (options.repeats ?? 1); repeat++) {
      repetitions.push(await runSeries(broker, options));
    }
    return combineRepetitions(repetitions);
  } finally {
    await broker.close();
  }
}

/** The runs of one series on a new working directory. */
async function runSeries(broker: EmulatorHost, options: CollectorBenchOptions): Promise<CollectorRun[]> {
  const dir = await mkdtemp(join(options.dir, `collector-${options.nodes}-`));
  const config = join(dir, 'settings.toml');
  await writeFile(
    config,
    [
      '[BROKER]',
      `URL = ${JSON.stringify(broker.url)}`,
      `API_KEY = ${JSON.stringify(BENCH_ADMIN_KEY)}`,
      ...(options.concurrency === undefined ? [] : [`CONCURRENCY = ${options.concurrency}`]),
      '[DIR]',
      `WORKING = ${JSON.stringify(join(dir, 'working'))}`,
      '',
    ].join('\n'),
  );
  const { concurrency } = (await loadConfig(config, 'node-to-csv')).broker;
  const results: CollectorRun[] = [];
  for (let run = 1; run <= options.runs; run++) {
    await broker.clearRequests();
    const startedAs = options.startedAs ?? 'shebang';
    const measured = await runBin(binPath('node-to-csv'), [config], { scratchDir: dir, startedAs });
    if (measured.exitCode !== 0) {
      throw new Error(`node-to-csv exited ${measured.exitCode}:\n${measured.stderrTail}`);
    }
    const requests = await broker.requests();
    const nodeRequests = requests.filter((r) => r.path.startsWith('/broker/node/'));
    const lowerBoundMs = (requests.length * options.latencyMs) / concurrency;
    results.push({
      nodes: options.nodes,
      concurrency,
      run,
      exitCode: measured.exitCode,
      wallMs: measured.wallMs,
      requests: requests.length,
      requestsPerNode: nodeRequests.length / options.nodes,
      notModifiedPerNode: nodeRequests.filter((r) => r.status === 304).length / options.nodes,
      lowerBoundMs,
      ratio: measured.wallMs / lowerBoundMs,
      peakRssBytes: measured.peakRssBytes,
      cpuMs: measured.cpuMs,
      cpuMsPerNode: measured.cpuMs / options.nodes,
      startedAs,
      repeats: 1,
      wallMinMs: measured.wallMs,
      wallMaxMs: measured.wallMs,
    });
  }
  return results;
}

/** Per run of the series: the repetition of median wall time, with the range and the largest RSS. */
function combineRepetitions(repetitions: readonly CollectorRun[][]): CollectorRun[] {
  const first = repetitions[0] ?? [];
  return first.map((_, index) => {
    const runs = repetitions
      .map((series) => series[index] as CollectorRun)
      .sort((a, b) => a.wallMs - b.wallMs);
    const middle = Math.floor((runs.length - 1) / 2);
    const median = runs[middle] as CollectorRun;
    // CPU is the median of its own: the run of median wall time need not be that of median CPU.
    const cpuMs = runs.map((r) => r.cpuMs).sort((a, b) => a - b)[middle] ?? median.cpuMs;
    return {
      ...median,
      cpuMs,
      cpuMsPerNode: cpuMs / median.nodes,
      peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
      repeats: runs.length,
      wallMinMs: runs[0]?.wallMs ?? median.wallMs,
      wallMaxMs: runs.at(-1)?.wallMs ?? median.wallMs,
    };
  });
}
