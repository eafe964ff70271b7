export { type AppOptions, packageVersion } from './app-options.js';
export { forEachConcurrent } from './concurrency.js';
export { ExitCode, ServiceUnavailableError, UsageError } from './exit-codes.js';
export {
  createLogger,
  DEFAULT_LOG_LEVEL,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  logLevelOf,
} from './logger.js';
export { createRunOutcomes, type OutcomeKind, type RunOutcomes } from './outcomes.js';
export { createProgressBar, type ProgressBar } from './progress.js';
export { type AppContext, type AppDefinition, type FlagSpec, type RunOptions, runApp } from './run-app.js';
export type { RunMetrics } from './run-metrics.js';
export type { TerminalView } from './terminal.js';
