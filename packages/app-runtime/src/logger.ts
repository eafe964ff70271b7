import { type Logger, pino } from 'pino';
import { UsageError } from './exit-codes.js';
import type { ProgressBar } from './progress.js';
import { type LogRecord, type TerminalView, terminalLine } from './terminal.js';

export type { Logger } from 'pino';

/** Keys whose values are replaced before a line is written, wherever they appear. */
const SECRET_PATHS = [
  'apiKey',
  'token',
  'password',
  'authorization',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

/** The levels `LOG_LEVEL` may name, most severe first; pino's `silent` is left out: the summary is always written. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The level used when `LOG_LEVEL` is unset or empty (a stray `LOG_LEVEL=` in a crontab). */
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/**
 * The level a `LOG_LEVEL` text names: unset or empty → info.
 * @throws UsageError (exit 2) naming LOG_LEVEL and the accepted values, e.g. for `warning`.
 */
export function logLevelOf(text: string | undefined): LogLevel {
  const name = text?.trim().toLowerCase() ?? '';
  if (name === '') return DEFAULT_LOG_LEVEL;
  if ((LOG_LEVELS as readonly string[]).includes(name)) return name as LogLevel;
  throw new UsageError(
    `LOG_LEVEL ${JSON.stringify(text)} is not a level; use one of ${LOG_LEVELS.join(', ')} (empty or unset: ${DEFAULT_LOG_LEVEL})`,
  );
}

export interface LoggerOptions {
  app: string;
  /** By default the level `LOG_LEVEL` names (see logLevelOf), else info. */
  level?: LogLevel;
  /** Where lines go; stdout by default. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; fd?: number };
  /** On a TTY the bar is cleared before each line and drawn again after it. */
  progress?: () => ProgressBar | undefined;
  /** On a TTY: node names, the hint to the JSON lines, colours; ok outcomes follow the level. */
  terminal?: Partial<Omit<TerminalView, 'showOk'>>;
}

/**
 * JSON lines (pino) when stdout is not a TTY, e.g. under cron; on a TTY one short line per record
 * (see terminalLine), ok outcomes only at debug. Secrets are redacted by key name as a second line
 * of defence (our errors never carry them); the terminal lines are made from the redacted JSON.
 */
export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stdout;
  const level = options.level ?? logLevelOf(process.env.LOG_LEVEL);
  const settings = {
    name: options.app,
    level,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    base: { app: options.app },
  };
  if (!stream.isTTY) {
    // Synchronous writes to the file descriptor: lines reach a cron log even if the process is killed.
    return typeof stream.fd === 'number'
      ? pino(settings, pino.destination({ fd: stream.fd, sync: true }))
      : pino(settings, stream);
  }
  const view: TerminalView = {
    showOk: level === 'debug' || level === 'trace',
    nameOf: options.terminal?.nameOf ?? (() => undefined),
    fullLog: options.terminal?.fullLog ?? `${options.app} … | cat`,
    colors: options.terminal?.colors ?? true,
  };
  return pino(settings, {
    write(json: string) {
      const line = terminalLine(JSON.parse(json) as LogRecord, view);
      if (line === undefined) return;
      const bar = options.progress?.();
      bar?.clear();
      stream.write(`${line}\n`);
      bar?.render();
    },
  });
}
