import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { benchCollector, type CollectorRun } from './collector-bench.js';
import { benchReporterConfluence, benchReporterLocal, makeReporterStore } from './reporter-bench.js';
import type { BenchResults } from './results.js';

/** The small local report of the targets (issue 20). */
const LOCAL_REPORT_SMALL = 100;
export interface BenchOptions {
  /** Node counts of the collector and reporter runs, e.g. [50, 500, 2000]. */
  sizes: readonly number[];
  /** Node counts of the serial collector runs (BROKER.CONCURRENCY = 1), e.g. [50, 500]. */
  serialSizes: readonly number[];
  /** Repetitions of each concurrent collector series (median wall time); default 1. */
  repeats?: number;
  /** Leave the reporter out (collector figures only). */
  collectorOnly?: boolean;
  /** Leave the collector out (reporter figures only). */
  reporterOnly?: boolean;
  /** Added to every broker answer. */
  latencyMs: number;
  /** Added to every Confluence request. */
  confluenceDelayMs: number;
  /** Where the working directories are made; everything made is removed at the end. */
  dir: string;
  /** Progress, one line per measured run. */
  say?: (line: string) => void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const cpuPerNode = (ms: number) => `${ms.toFixed(2)} ms CPU/node`;

/** Runs every measurement of `pnpm bench` one after the other (never two at once). */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const say = options.say ?? (() => undefined);
  const results: BenchResults & { plainStart: CollectorRun[] } = {
    collector: [],
    serial: [],
    plainStart: [],
    reporter: [],
    latencyMs: options.latencyMs,
    confluenceDelayMs: options.confluenceDelayMs,
  };
  const dir = await mkdtemp(join(options.dir, 'bm-bench-'));
  try {
    for (const nodes of options.reporterOnly ? [] : options.sizes) {
      const runs = await benchCollector({
        nodes,
        latencyMs: options.latencyMs,
        runs: 2,
        repeats: options.repeats ?? 1,
        dir,
      });
      results.collector.push(...runs);
      for (const r of runs) {
        say(
          `collector ${nodes} nodes, run ${r.run}: ${seconds(r.wallMs)} (${seconds(r.wallMinMs)}–${seconds(r.wallMaxMs)}), ratio ${r.ratio.toFixed(2)}, ${cpuPerNode(r.cpuMsPerNode)}, ${megabytes(r.peakRssBytes)}`,
        );
      }
      // Issue 22: the bin started as `node dist/cli.js`, as a crontab line may start it, without the shebang's flags.
      const [plain] = await benchCollector({
        nodes,
        latencyMs: options.latencyMs,
        runs: 1,
        dir,
        startedAs: 'node',
      });
      if (plain) {
        results.plainStart.push(plain);
        say(
          `collector ${nodes} nodes as node dist/cli.js: ${seconds(plain.wallMs)}, ${cpuPerNode(plain.cpuMsPerNode)}, ${megabytes(plain.peakRssBytes)}`,
        );
      }
    }
    for (const nodes of options.reporterOnly ? [] : options.serialSizes) {
      const runs = await benchCollector({
        nodes,
        concurrency: 1,
        latencyMs: options.latencyMs,
        runs: 1,
        dir,
      });
      results.serial.push(...runs);
      for (const r of runs)
        say(`serial collector ${nodes} nodes: ${seconds(r.wallMs)}, ${megabytes(r.peakRssBytes)}`);
    }
    if (options.sizes.length > 0 && !options.collectorOnly) {
      const largest = Math.max(...options.sizes);
      const store = await makeReporterStore(dir, largest, new Date());
      for (const flavour of ['datacenter', 'cloud'] as const) {
        for (const nodes of options.sizes) {
          const runs = await benchReporterConfluence({
            store,
            nodes,
            dir,
            flavour,
            delayMs: options.confluenceDelayMs,
          });
          results.reporter.push(...runs);
          for (const r of runs) {
            say(
              `reporter ${flavour} ${nodes} nodes, ${r.kind}: ${seconds(r.wallMs)}, ${r.requestsPerPage.toFixed(2)} requests/page, ${megabytes(r.peakRssBytes)}`,
            );
          }
        }
      }
      // Issue 20 asks for 100 nodes too: a small installation must get its report at once.
      for (const nodes of [...new Set([Math.min(LOCAL_REPORT_SMALL, largest), largest])]) {
        const local = await benchReporterLocal({ store, nodes, dir });
        results.reporter.push(local);
        say(`local report ${nodes} nodes: ${seconds(local.wallMs)}, ${megabytes(local.peakRssBytes)}`);
      }
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
