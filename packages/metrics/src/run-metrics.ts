/*
 * The figures every app writes about its run, labelled with the app's name. The last successful
 * end carries over failed runs: it is read back from the app's previous textfile, so the
 * staleness alert measures from the last run that did its work.
 */
import type { MetricFamily } from './exposition.js';
import { gauge, timestampSeconds } from './families.js';
import type { PreviousSamples } from './textfile.js';

export const RUN_METRICS = {
  start: 'broker_monitor_run_start_timestamp_seconds',
  end: 'broker_monitor_run_end_timestamp_seconds',
  lastSuccess: 'broker_monitor_run_last_success_timestamp_seconds',
  duration: 'broker_monitor_run_duration_seconds',
  exitCode: 'broker_monitor_run_exit_code',
  outcomes: 'broker_monitor_run_outcomes',
} as const;

export interface RunFigures {
  app: string;
  start: Date;
  end: Date;
  /** Measured on a monotonic clock: a clock set during the run does not change it. */
  durationSeconds: number;
  exitCode: number;
  /** Exit code 0 or 1 without a crash (see isSuccessfulExit): the run did its work. */
  succeeded: boolean;
  /** Subjects (nodes) of the run per outcome, e.g. `{ ok: 60, warning: 2, failed: 1 }`. */
  outcomes: Readonly<Record<string, number>>;
}

/** Exit 0 (all done) and 1 (done, some nodes failed) are successful runs; 2 and 3 did nothing. */
export function isSuccessfulExit(exitCode: number): boolean {
  return exitCode === 0 || exitCode === 1;
}

/** The run's families; the last success is this run's end, or the previous file's after a run that did nothing. */
export function runMetricFamilies(run: RunFigures, previous: PreviousSamples): MetricFamily[] {
  const app = { app: run.app };
  const lastSuccess = run.succeeded
    ? timestampSeconds(run.end)
    : previous.of(RUN_METRICS.lastSuccess).find((sample) => sample.labels.app === run.app)?.value;
  return [
    gauge(RUN_METRICS.start, 'Unix time the last run started.', [
      { labels: app, value: timestampSeconds(run.start) },
    ]),
    gauge(RUN_METRICS.end, 'Unix time the last run ended.', [
      { labels: app, value: timestampSeconds(run.end) },
    ]),
    gauge(
      RUN_METRICS.lastSuccess,
      'Unix time the last successful run (exit code 0 or 1, no crash) ended; absent until the first one.',
      [{ labels: app, value: lastSuccess }],
    ),
    gauge(RUN_METRICS.duration, 'How long the last run took.', [{ labels: app, value: run.durationSeconds }]),
    gauge(
      RUN_METRICS.exitCode,
      'Exit code of the last run: 0 all done, 1 some failed, 2 usage or config error, 3 nothing done.',
      [{ labels: app, value: run.exitCode }],
    ),
    gauge(
      RUN_METRICS.outcomes,
      'Nodes of the last run per outcome (ok, warning, failed).',
      Object.entries(run.outcomes).map(([outcome, count]) => ({ labels: { ...app, outcome }, value: count })),
    ),
  ];
}
