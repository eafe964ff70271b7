/*
 * Storing everything fetched for one node in one run — the collector's per-node step.
 * All existing files are read and every new content computed before the first write, so a
 * broken file or bad statistics fail the node with its files untouched.
 */
import { mkdir } from 'node:fs/promises';
import { upsertErrors } from './error-rules.js';
import {
  appendLines,
  errorsFilePath,
  nodeFolderPath,
  readTextFile,
  removeStaleTemporaryFiles,
  resourceFilePath,
  resourceLogPath,
  statsFilePath,
  syncFolder,
  writeFileAtomic,
} from './files.js';
import { formatResourceJson, parseResourceJson } from './resource-json.js';
import { normalizeResourceEntries, resourceChangeLines } from './resource-rules.js';
import { needsPreviousYearRow, nextStatsRows } from './stats-rules.js';
import { formatErrorsCsv, formatStatsCsv, parseErrorsCsv, parseStatsCsv } from './store-format.js';
import { type NodeCollection, RESOURCE_NAMES, type ResourceName, type StatsRow } from './types.js';

export interface WriteNodeOptions {
  /** The clock: read once for the stats row and the error year, and once per change-log line. */
  now: () => Date;
  /** fsync the node folder after its files were replaced (default true). */
  sync?: boolean;
}

export interface NodeWriteResult {
  nodeId: string;
  /** Today's stats row as written; `undefined` when the stats were absent (404). */
  statsRow: StatsRow | undefined;
  /** Error rows added or re-added (repeats changed) in this run. */
  errorsAdded: number;
  /** Change-log lines appended per resource. */
  resourceChanges: Record<ResourceName, number>;
  /** Files replaced or appended to, in write order (unchanged files are not rewritten). */
  filesWritten: string[];
}

interface PlannedWrite {
  path: string;
  content: string;
  appendLines?: string[];
}

async function readStats(path: string): Promise<{ text: string | undefined; rows: StatsRow[] }> {
  const text = await readTextFile(path);
  return { text, rows: text === undefined ? [] : parseStatsCsv(text, path) };
}

/**
 * Writes one node's collection into `WORKING/<id>/`, in the original's order: stats CSV,
 * errors CSV, then per resource its change log (appended before the snapshot is replaced,
 * so a crash can repeat log lines but never lose one) and its `.txt`.
 * Without stats (404) neither a stats nor an errors file is written; resources are.
 * Throws InvalidNodeIdError, BrokenFileError (naming the file) or InvalidStatisticsError
 * before anything is written.
 */
export async function writeNodeCollection(
  workingDir: string,
  collection: NodeCollection,
  options: WriteNodeOptions,
): Promise<NodeWriteResult> {
  const { nodeId, stats } = collection;
  const folder = nodeFolderPath(workingDir, nodeId);
  const runTime = options.now();
  const year = runTime.getUTCFullYear();
  const writes: PlannedWrite[] = [];
  let statsRow: StatsRow | undefined;
  let errorsAdded = 0;

  if (stats !== null) {
    const statsPath = statsFilePath(workingDir, nodeId, year);
    const errorsPath = errorsFilePath(workingDir, nodeId, year);
    const [current, errorsText] = await Promise.all([readStats(statsPath), readTextFile(errorsPath)]);
    const previousYear = needsPreviousYearRow(current.rows, runTime)
      ? await readStats(statsFilePath(workingDir, nodeId, year - 1))
      : undefined;
    const rows = nextStatsRows({
      rows: current.rows,
      previousYearLastRow: previousYear?.rows.at(-1),
      lastContact: collection.lastContact,
      stats,
      now: runTime,
    });
    statsRow = rows.at(-1);
    writes.push({ path: statsPath, content: formatStatsCsv(rows) });

    const errorRows = errorsText === undefined ? [] : parseErrorsCsv(errorsText, errorsPath);
    const mergedErrors = upsertErrors(errorRows, stats.errors, runTime);
    const before = new Set(errorRows);
    errorsAdded = mergedErrors.filter((row) => !before.has(row)).length;
    const errorsContent = formatErrorsCsv(mergedErrors);
    if (errorsContent !== errorsText) writes.push({ path: errorsPath, content: errorsContent });
  }

  const previousResources = await Promise.all(
    RESOURCE_NAMES.map(async (resource) => {
      const path = resourceFilePath(workingDir, nodeId, resource);
      const text = await readTextFile(path);
      return { text, entries: text === undefined ? undefined : parseResourceJson(text, path) };
    }),
  );
  const resourceChanges = {} as Record<ResourceName, number>;
  RESOURCE_NAMES.forEach((resource, index) => {
    const previous = previousResources[index];
    const current = normalizeResourceEntries(collection.resources[resource]);
    const content = formatResourceJson(current);
    const lines = resourceChangeLines(previous?.entries, current, options.now);
    resourceChanges[resource] = lines.length;
    if (lines.length > 0) {
      writes.push({ path: resourceLogPath(workingDir, nodeId, resource), content: '', appendLines: lines });
    }
    if (content !== previous?.text)
      writes.push({ path: resourceFilePath(workingDir, nodeId, resource), content });
  });

  await removeStaleTemporaryFiles(folder);
  if (writes.length > 0) {
    await mkdir(folder, { recursive: true });
    for (const write of writes) {
      if (write.appendLines) await appendLines(write.path, write.appendLines);
      else await writeFileAtomic(write.path, write.content);
    }
    if (options.sync ?? true) await syncFolder(folder);
  }
  return { nodeId, statsRow, errorsAdded, resourceChanges, filesWritten: writes.map((write) => write.path) };
}
