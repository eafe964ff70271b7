import type { Logger } from 'pino';
import { ExitCode } from './exit-codes.js';

export type OutcomeKind = 'ok' | 'warning' | 'failed';

/**
 * Counts what happened to each node (or page, mail, file) of a run and writes one log line per
 * outcome; the summary line and the exit code follow from the counts.
 */
export interface RunOutcomes {
  ok(subject: string, fields?: Record<string, unknown>): void;
  /** A state of the subject, not a failure of the run (SPEC §6), e.g. stats never uploaded. */
  warning(subject: string, reason: string, fields?: Record<string, unknown>): void;
  failed(subject: string, error: unknown, fields?: Record<string, unknown>): void;
  counts(): Record<OutcomeKind, number>;
  /** Writes the run summary (whatever the level) and returns the exit code: 1 when anything failed, else 0. */
  finish(fields?: Record<string, unknown>): ExitCode;
}

export function createRunOutcomes(
  logger: Logger,
  subjectKey = 'node',
  now: () => number = Date.now,
): RunOutcomes {
  const started = now();
  const counts: Record<OutcomeKind, number> = { ok: 0, warning: 0, failed: 0 };
  return {
    ok(subject, fields = {}) {
      counts.ok++;
      logger.info({ [subjectKey]: subject, outcome: 'ok', ...fields }, `${subjectKey} ${subject}: ok`);
    },
    warning(subject, reason, fields = {}) {
      counts.warning++;
      logger.warn(
        { [subjectKey]: subject, outcome: 'warning', reason, ...fields },
        `${subjectKey} ${subject}: ${reason}`,
      );
    },
    failed(subject, error, fields = {}) {
      counts.failed++;
      const reason = error instanceof Error ? error.message : String(error);
      logger.error(
        {
          [subjectKey]: subject,
          outcome: 'failed',
          reason,
          errorType: error instanceof Error ? error.name : undefined,
          ...fields,
        },
        `${subjectKey} ${subject}: failed: ${reason}`,
      );
    },
    counts: () => ({ ...counts }),
    finish(fields = {}) {
      const exitCode = counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
      // The line people grep for after a run: written at any LOG_LEVEL, also warn and error.
      const summaryLogger = logger.isLevelEnabled('info') ? logger : logger.child({}, { level: 'info' });
      summaryLogger.info(
        { summary: true, ...counts, durationMs: now() - started, exitCode, ...fields },
        `run finished: ${counts.ok} ok, ${counts.warning} warnings, ${counts.failed} failed`,
      );
      return exitCode;
    },
  };
}
