import { parseArgs } from 'node:util';
import { ConfigError } from '@broker-monitor/config';
import { LockHeldError, UnusablePathError } from '@broker-monitor/csv-store';
import type { Logger } from 'pino';
import { ExitCode, ServiceUnavailableError, UsageError } from './exit-codes.js';
import { createLogger, DEFAULT_LOG_LEVEL, type LogLevel, logLevelOf } from './logger.js';
import { createProgressBar, type ProgressBar } from './progress.js';

export interface FlagSpec {
  type: 'boolean' | 'string';
  description: string;
}

export interface AppContext {
  configPath: string;
  flags: Record<string, string | boolean | undefined>;
  logger: Logger;
  /** A progress bar on a TTY (stderr), a silent one otherwise; log lines do not tear it. */
  progress(label: string, total: number): ProgressBar;
  /** Plain text a person asked to see (`--dry-run`, `--check`, the report path), on stdout. */
  print(text: string): void;
}

export interface AppDefinition {
  name: string;
  version: string;
  /** One line saying what the app does. */
  summary: string;
  flags?: Record<string, FlagSpec>;
  /** Does the work; returns the exit code (0 or 1). Throw ConfigError, LockHeldError or ServiceUnavailableError for 2/3. */
  main(context: AppContext): Promise<ExitCode>;
}

export interface RunOptions {
  argv?: string[];
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Where `LOG_LEVEL` is read; `process.env` by default. */
  env?: Record<string, string | undefined>;
}

/** `<bin> <config.toml> [flags]`: runs an app with the shared arguments, logging and exit codes of SPEC §6. */
export async function runApp(app: AppDefinition, options: RunOptions = {}): Promise<ExitCode> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const usage = usageText(app);
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(app, options.argv ?? process.argv.slice(2));
  } catch (error) {
    stderr.write(`${app.name}: ${(error as Error).message}\n\n${usage}`);
    return ExitCode.usage;
  }
  if (parsed.flags.help) {
    stdout.write(usage);
    return ExitCode.ok;
  }
  if (parsed.flags.version) {
    stdout.write(`${app.name} ${app.version}\n`);
    return ExitCode.ok;
  }
  if (!parsed.configPath) {
    stderr.write(`${app.name}: missing the path of the config file\n\n${usage}`);
    return ExitCode.usage;
  }

  let level: LogLevel;
  try {
    level = logLevelOf((options.env ?? process.env).LOG_LEVEL);
  } catch (error) {
    // Logged at the default level, so that a cron log holds this line too.
    const logger = createLogger({ app: app.name, stream: stdout, level: DEFAULT_LOG_LEVEL });
    return exitCodeFor(error, app.name, logger, stdout, stderr);
  }
  let bar: ProgressBar | undefined;
  const logger = createLogger({ app: app.name, stream: stdout, level, progress: () => bar });
  const context: AppContext = {
    configPath: parsed.configPath,
    flags: parsed.flags,
    logger,
    progress(label, total) {
      bar = createProgressBar(label, total, stderr);
      return bar;
    },
    print: (text) => stdout.write(`${text}\n`),
  };
  try {
    return await app.main(context);
  } catch (error) {
    return exitCodeFor(error, app.name, logger, stdout, stderr);
  } finally {
    bar?.done();
  }
}

function exitCodeFor(
  error: unknown,
  app: string,
  logger: Logger,
  stdout: NodeJS.WriteStream,
  stderr: NodeJS.WriteStream,
): ExitCode {
  // A working directory whose state folder links elsewhere is set up wrong, like a config.
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof UnusablePathError) {
    tellPerson(error.message, { outcome: 'config-error' }, 'configuration error');
    return ExitCode.usage;
  }
  if (error instanceof LockHeldError || error instanceof ServiceUnavailableError) {
    tellPerson(error.message, { outcome: 'nothing-done' }, error.message);
    return ExitCode.unavailable;
  }
  logger.fatal(
    { outcome: 'crashed', err: error },
    `unexpected error: ${(error as Error)?.message ?? String(error)}`,
  );
  return ExitCode.partial;

  /**
   * A run that did nothing: a person fixing it reads stderr on the terminal or in the cron mail,
   * the log file gets the JSON line. On a terminal stdout is that same screen, so the line is left out.
   */
  function tellPerson(reason: string, fields: { outcome: string }, headline: string): void {
    stderr.write(`${app}: ${reason}\n`);
    if (!stdout.isTTY) logger.error({ ...fields, reason }, headline);
  }
}

function parseCommandLine(app: AppDefinition, argv: string[]) {
  const flagOptions = Object.fromEntries(
    Object.entries(app.flags ?? {}).map(([name, spec]) => [name, { type: spec.type }]),
  );
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' }, ...flagOptions },
  });
  if (positionals.length > 1)
    throw new UsageError(`expected one config file, got ${positionals.length} arguments`);
  return { configPath: positionals[0], flags: values as Record<string, string | boolean | undefined> };
}

function usageText(app: AppDefinition): string {
  const flags = Object.entries(app.flags ?? {}).map(
    ([name, spec]) => `  --${name}${spec.type === 'string' ? ' <value>' : ''}  ${spec.description}`,
  );
  return [
    `${app.name} ${app.version}: ${app.summary}`,
    '',
    `Usage: ${app.name} <path/to/config.toml>${flags.length ? ' [options]' : ''}`,
    '',
    'Options:',
    ...flags,
    '  --help     show this text',
    '  --version  show the version',
    '',
    'Exit codes: 0 all done, 1 some nodes/pages/mails/files failed, 2 usage or config error,',
    '            3 nothing done (server unreachable, credentials refused, or another run holds the lock)',
    '',
  ].join('\n');
}
