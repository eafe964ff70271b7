/*
 * The metrics of one run: what the app adds (its nodes' figures) and what runApp knows (start,
 * end, duration, exit code, outcomes), written to the app's textfile when the run ends.
 * Metrics never change a run's exit code: a textfile that cannot be written is a warning.
 */
import { performance } from 'node:perf_hooks';
import {
  type MetricFamily,
  type PreviousSamples,
  readMetricsFile,
  runMetricFamilies,
  writeMetricsFile,
} from '@broker-monitor/metrics';
import type { Logger } from 'pino';
import type { ExitCode } from './exit-codes.js';
import type { OutcomeKind } from './outcomes.js';

/** What an app sees of its run's metrics (AppContext.metrics). */
export interface RunMetrics {
  /** METRICS.TEXTFILE_DIR is set: worth reading what only the metrics need (e.g. node names). */
  readonly enabled: boolean;
  /** What the previous run wrote (nothing when metrics are off): for running totals. */
  readonly previous: PreviousSamples;
  /** The app's own families, written with the run's. */
  add(...families: MetricFamily[]): void;
}

/** The part runApp drives: the app's view, the outcomes counted, and the write at the end. */
export interface RunMetricsRecorder {
  readonly view: RunMetrics;
  countOutcomes(counts: () => Record<OutcomeKind, number>): void;
  finish(exitCode: ExitCode, succeeded: boolean, logger: Logger): Promise<void>;
}

const NO_SAMPLES: PreviousSamples = { of: () => [] };

/**
 * Starts recording a run of `app`. Without a `textfileDir` nothing is read or written, but the
 * app's calls are accepted all the same.
 */
export async function startRunMetrics(
  app: string,
  textfileDir: string | undefined,
  clock: () => Date,
): Promise<RunMetricsRecorder> {
  const start = clock();
  const started = performance.now();
  const previous = textfileDir === undefined ? NO_SAMPLES : await readMetricsFile(textfileDir, app);
  const families: MetricFamily[] = [];
  const outcomeCounts: (() => Record<OutcomeKind, number>)[] = [];
  return {
    view: {
      enabled: textfileDir !== undefined,
      previous,
      add: (...more) => families.push(...more),
    },
    countOutcomes: (counts) => outcomeCounts.push(counts),
    async finish(exitCode, succeeded, logger) {
      if (textfileDir === undefined) return;
      const outcomes: Record<OutcomeKind, number> = { ok: 0, warning: 0, failed: 0 };
      for (const counts of outcomeCounts) {
        for (const [kind, count] of Object.entries(counts())) outcomes[kind as OutcomeKind] += count;
      }
      const run = {
        app,
        start,
        end: clock(),
        durationSeconds: (performance.now() - started) / 1000,
        exitCode,
        succeeded,
        outcomes,
      };
      try {
        const path = await writeMetricsFile(textfileDir, app, [
          ...runMetricFamilies(run, previous),
          ...families,
        ]);
        logger.debug({ metrics: path }, `metrics written to ${path}`);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? 'does not exist'
            : code === 'ENOTDIR'
              ? 'is not a folder'
              : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
                ? 'is not writable'
                : `cannot be written (${(error as Error).message})`;
        logger.warn(
          { key: 'METRICS.TEXTFILE_DIR', textfileDir, reason: why },
          `metrics not written: METRICS.TEXTFILE_DIR ${textfileDir} ${why}`,
        );
      }
    },
  };
}
