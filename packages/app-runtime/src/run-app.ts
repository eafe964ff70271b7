import { parseArgs } from 'node:util';
import { ConfigError, loadMetricsSettings } from '@broker-monitor/config';
import { LockHeldError, UnusablePathError } from '@broker-monitor/csv-store';
import { isSuccessfulExit } from '@broker-monitor/metrics';
import type { Logger } from 'pino';
import { ExitCode, ServiceUnavailableError, UsageError } from './exit-codes.js';
import { createLogger, DEFAULT_LOG_LEVEL, type LogLevel, logLevelOf } from './logger.js';
import { createRunOutcomes, type RunOutcomes } from './outcomes.js';
import { createProgressBar, type ProgressBar } from './progress.js';
import { type RunMetrics, startRunMetrics } from './run-metrics.js';
import { nodeNames, pipedCommand } from './terminal.js';

export interface FlagSpec {
  type: 'boolean' | 'string';
  description: string;
  /** The flag makes a run that changes nothing (`--check`, `--dry-run`): such a run writes no metrics. */
  changesNothing?: boolean;
}

export interface AppContext {
  configPath: string;
  /** The words after the config path, for an app with `commands`; `[]` otherwise. */
  command: string[];
  flags: Record<string, string | boolean | undefined>;
  logger: Logger;
  /** A progress bar on a TTY (stderr), a silent one otherwise; log lines do not tear it. */
  progress(label: string, total: number): ProgressBar;
  /** Plain text a person asked to see (`--dry-run`, `--check`, the report path), on stdout. */
  print(text: string): void;
  /**
   * The outcomes of the run's nodes (createRunOutcomes on the run's logger); their counts go into
   * the run's metrics. `now` times the summary's durationMs (the system clock by default).
   */
  runOutcomes(subjectKey?: string, now?: () => number): RunOutcomes;
  /** The run's metrics (METRICS.TEXTFILE_DIR): the app adds its nodes' figures. */
  metrics: RunMetrics;
}

export interface AppDefinition {
  name: string;
  version: string;
  /** One line saying what the app does. */
  summary: string;
  flags?: Record<string, FlagSpec>;
  /** Commands after the config path (`<bin> <config.toml> silence add …`): usage line → what it does. */
  commands?: Record<string, string>;
  /** The clock of the run's start and end in the metrics; the system clock by default. */
  now?: () => Date;
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
  const argv = options.argv ?? process.argv.slice(2);
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(app, argv);
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

  const env = options.env ?? process.env;
  let level: LogLevel;
  try {
    level = logLevelOf(env.LOG_LEVEL);
  } catch (error) {
    // Logged at the default level, so that a cron log holds this line too.
    const logger = createLogger({ app: app.name, stream: stdout, level: DEFAULT_LOG_LEVEL });
    return exitCodeFor(error, app.name, logger, stdout, stderr);
  }
  let bar: ProgressBar | undefined;
  // Read only for a terminal: a run under cron does not open the mapping before the app does.
  const names = stdout.isTTY ? await nodeNames(parsed.configPath, env) : new Map<string, string>();
  const logger = createLogger({
    app: app.name,
    stream: stdout,
    level,
    progress: () => bar,
    terminal: {
      nameOf: (subject) => names.get(subject),
      fullLog: pipedCommand(app.name, argv),
      colors: env.NO_COLOR === undefined || env.NO_COLOR === '',
    },
  });
  const changesNothing = Object.entries(app.flags ?? {}).some(
    ([name, spec]) => spec.changesNothing === true && parsed.flags[name] !== undefined,
  );
  // Read on its own, before the app loads the config: a run whose config is unusable (exit 2)
  // still reports so, as long as the file names a TEXTFILE_DIR.
  const textfileDir = changesNothing ? undefined : (await loadMetricsSettings(parsed.configPath)).textfileDir;
  const metrics = await startRunMetrics(app.name, textfileDir, app.now ?? (() => new Date()));
  const context: AppContext = {
    configPath: parsed.configPath,
    command: parsed.command,
    flags: parsed.flags,
    logger,
    progress(label, total) {
      bar = createProgressBar(label, total, stderr);
      return bar;
    },
    print: (text) => stdout.write(`${text}\n`),
    runOutcomes(subjectKey, now) {
      const outcomes = createRunOutcomes(logger, subjectKey, now);
      metrics.countOutcomes(outcomes.counts);
      return outcomes;
    },
    metrics: metrics.view,
  };
  let exitCode: ExitCode;
  let crashed = false;
  try {
    exitCode = await app.main(context);
  } catch (error) {
    exitCode = exitCodeFor(error, app.name, logger, stdout, stderr);
    crashed = !isExpectedFailure(error);
  } finally {
    bar?.done();
  }
  // A crash exits 1 as SPEC §6 says, but did not do the run's work: not a success for the alerts.
  await metrics.finish(exitCode, isSuccessfulExit(exitCode) && !crashed, logger);
  return exitCode;
}

function isExpectedFailure(error: unknown): boolean {
  return (
    error instanceof ConfigError ||
    error instanceof UsageError ||
    error instanceof LockHeldError ||
    error instanceof ServiceUnavailableError
  );
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
  const [configPath, ...command] = positionals;
  const commandNames = new Set(Object.keys(app.commands ?? {}).map((usage) => usage.split(' ')[0]));
  if (command.length > 0 && !commandNames.has(command[0] as string))
    throw new UsageError(
      commandNames.size === 0
        ? `expected one config file, got ${positionals.length} arguments`
        : `unknown command "${command[0]}" (known: ${[...commandNames].join(', ')})`,
    );
  return { configPath, command, flags: values as Record<string, string | boolean | undefined> };
}

function usageText(app: AppDefinition): string {
  const commands = Object.entries(app.commands ?? {}).flatMap(([line, what]) => [
    `  ${app.name} <path/to/config.toml> ${line}`,
    `      ${what}`,
  ]);
  const flags = Object.entries(app.flags ?? {}).map(
    ([name, spec]) => `  --${name}${spec.type === 'string' ? ' <value>' : ''}  ${spec.description}`,
  );
  return [
    `${app.name} ${app.version}: ${app.summary}`,
    '',
    `Usage: ${app.name} <path/to/config.toml>${flags.length ? ' [options]' : ''}`,
    '',
    ...(commands.length > 0 ? ['Commands:', ...commands, ''] : []),
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
