import { stat } from 'node:fs/promises';
import {
  type AppContext,
  ExitCode,
  type Logger,
  type ProgressBar,
  type RunMetrics,
  type RunOutcomes,
} from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError, type MappedNode, type NodeMapping } from '@broker-monitor/config';
import { openStore, type Store } from '@broker-monitor/csv-store';
import { maintenanceNote, parseSilences, type Silence, silenceFor } from '@broker-monitor/silences';
import { type JudgedNode, reporterFamilies } from './metrics.js';

/** What both ways of reporting (local files, Confluence) share in one run. */
export interface ReportRun {
  store: Store;
  now: Date;
  /** Nodes read, rendered and written at once (CONFLUENCE.CONCURRENCY). */
  concurrency: number;
  /** The usable mapped nodes, in mapping order. */
  nodes: MappedNode[];
  /** Ids of the nodes that have a folder in DIR.WORKING. */
  withFolder: ReadonlySet<string>;
  /** Node id → the note of its active maintenance window (`silence add` of the e-mail service). */
  maintenance: ReadonlyMap<string, string>;
  outcomes: RunOutcomes;
  logger: Logger;
  progress: ProgressBar;
  /** The nodes judged in this run, for the metrics. */
  judged: JudgedNode[];
  metrics: RunMetrics;
}

/** DIR.WORKING must be a folder: without it nothing can be reported (exit 2). */
export async function requireWorkingDir(configFile: string, workingDir: string): Promise<void> {
  const root = await stat(workingDir).catch(() => undefined);
  if (!root?.isDirectory()) {
    throw new ConfigError(configFile, [{ path: 'DIR.WORKING', message: `folder ${workingDir} not found` }]);
  }
}

/**
 * Starts a report run: a bad mapping entry fails that node, a node without a folder is a warning
 * (the collector has not seen it yet), every other node gets a page; the progress bar counts those.
 */
export async function startReportRun(
  context: AppContext,
  config: AppConfig<'csv-to-confluence'>,
  mapping: NodeMapping,
  now: Date,
): Promise<ReportRun> {
  const { logger } = context;
  const outcomes = context.runOutcomes();
  await requireWorkingDir(config.file, config.dir.working);
  const store = openStore(config.dir.working);
  for (const warning of mapping.warnings) logger.warn(warning);
  for (const problem of mapping.problems) outcomes.failed(problem.nodeId, problem.message);
  const withFolder = new Set<string>();
  for (const node of mapping.nodes) {
    if (await store.hasNode(node.id)) withFolder.add(node.id);
    else outcomes.warning(node.id, 'no folder in DIR.WORKING: its page is not written');
  }
  return {
    store,
    now,
    concurrency: config.confluence.concurrency,
    nodes: mapping.nodes,
    withFolder,
    maintenance: await maintenanceNotes(store, mapping.nodes, now, logger),
    outcomes,
    logger,
    progress: context.progress('nodes', withFolder.size),
    judged: [],
    metrics: context.metrics,
  };
}

/** One note per node in an active window (the one ending last); a broken file only costs the notes. */
async function maintenanceNotes(
  store: Store,
  nodes: readonly MappedNode[],
  now: Date,
  logger: Logger,
): Promise<Map<string, string>> {
  let silences: Silence[];
  try {
    const { file, text } = await store.readSilences();
    silences = parseSilences(text, file);
  } catch (error) {
    logger.warn(`maintenance windows not shown: ${error instanceof Error ? error.message : String(error)}`);
    return new Map();
  }
  const notes = new Map<string, string>();
  for (const node of nodes) {
    const silence = silenceFor(silences, node.id, undefined, now);
    if (silence !== undefined) notes.set(node.id, maintenanceNote(silence));
  }
  return notes;
}

/** The exit code: 1 when a node or a run-level step (summary, heatmap, contacts) failed. */
export function finishReportRun(run: ReportRun, failedSteps: string[]): ExitCode {
  run.metrics.add(...reporterFamilies(run.judged));
  if (failedSteps.length === 0) return run.outcomes.finish();
  run.outcomes.finish({ failedSteps, exitCode: ExitCode.partial });
  return ExitCode.partial;
}

/** Logs a failed step of the run itself (summary, heatmap, contacts); the run then exits 1. */
export function logStepFailure(logger: Logger, step: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  logger.error({ step, outcome: 'failed', reason }, `${step}: failed: ${reason}`);
}
