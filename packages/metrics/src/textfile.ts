/*
 * The textfile of an app in node_exporter's textfile folder. node_exporter reads every `*.prom`
 * file there at each scrape, so the file is replaced atomically (temporary file in the same
 * folder, then rename; the temporary name ends in `.tmp` and is never read).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@broker-monitor/csv-store';
import { type MetricFamily, type ParsedSample, parseExposition, renderExposition } from './exposition.js';

/** `broker_monitor_<app>.prom`, e.g. `broker_monitor_node-to-csv.prom`. */
export function metricsFileName(app: string): string {
  return `broker_monitor_${app}.prom`;
}

/** Replaces the app's textfile in `dir` with the families; returns its path. Throws what the file system throws. */
export async function writeMetricsFile(
  dir: string,
  app: string,
  families: readonly MetricFamily[],
): Promise<string> {
  const path = join(dir, metricsFileName(app));
  await writeFileAtomic(path, renderExposition(families));
  return path;
}

/** The samples of the app's textfile from its previous run; none when there is no such file or it cannot be read. */
export async function readMetricsFile(dir: string, app: string): Promise<PreviousSamples> {
  const text = await readFile(join(dir, metricsFileName(app)), 'utf8').catch(() => '');
  return previousSamples(parseExposition(text));
}

/** What the previous run wrote: for figures that carry over a run (last success, running totals). */
export interface PreviousSamples {
  /** The samples of one family. */
  of(name: string): readonly ParsedSample[];
}

function previousSamples(samples: readonly ParsedSample[]): PreviousSamples {
  return { of: (name) => samples.filter((sample) => sample.name === name) };
}
