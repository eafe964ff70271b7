/*
 * Storing everything fetched for one node in one run — the collector's per-node step.
 * All existing files are read and every new content computed before the first write, so a
 * broken file or bad statistics fail the node with its files untouched.
 */
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { upsertErrors } from './error-rules.js';
import { BrokenFileError } from './errors.js';
import {
  appendLinesSync,
  errorsFilePath,
  inspectNodeFolder,
  type NodeFolderListing,
  nodeFolderPath,
  readTextFileSync,
  removeStaleTemporaries,
  resourceFilePath,
  resourceLogPath,
  statsFilePath,
  syncFolder,
  writeFileAtomicSync,
} from './files.js';
import { formatResourceJson, parseResourceJson } from './resource-json.js';
import { normalizeResourceEntries, resourceChangeLines } from './resource-rules.js';
import { deltaBaseRow, needsPreviousYearRow, nextStatsRows, unreadableCounter } from './stats-rules.js';
import { formatErrorsCsv, formatStatsCsv, parseErrorsCsv, parseStatsCsv } from './store-format.js';
import { type NodeCollection, RESOURCE_NAMES, type ResourceName, type StatsRow } from './types.js';

export interface WriteNodeOptions {
  /** The clock: read once for the stats row and the error year, and once per change-log line. */
  now: () => Date;
  /** fsync the node folder after its files were replaced (default true). */
  sync?: boolean;
  /**
   * Whether a listing of the working directory made earlier in this run found the node folder as a
   * folder, not a link: it is then not looked at again before use (the run holds the lock).
   */
  knownPlainFolder?: boolean;
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

/**
 * A file of the node folder that the listing found, or `undefined` without a read for one it did
 * not. Read synchronously, as the files are written: see readTextFileSync.
 */
function readListedFile(listing: NodeFolderListing, path: string): string | undefined {
  return listing.names.has(basename(path)) ? readTextFileSync(path) : undefined;
}

function readStats(listing: NodeFolderListing, path: string): { text: string | undefined; rows: StatsRow[] } {
  const text = readListedFile(listing, path);
  return { text, rows: text === undefined ? [] : parseStatsCsv(text, path) };
}

/**
 * Writes one node's collection into `WORKING/<id>/`, in the original's order: stats CSV,
 * errors CSV, then per resource its change log (appended before the snapshot is replaced,
 * so a crash can repeat log lines but never lose one) and its `.txt`.
 * Without stats (404) neither a stats nor an errors file is written; resources are.
 * Throws InvalidNodeIdError, BrokenFileError (naming the file), UnusablePathError (a node folder
 * that is a file, a link leading outside the working directory) or InvalidStatisticsError before
 * anything is written.
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
  // Every file this step may read or write, checked before the first is touched; one look at the
  // folder also says which files exist, so missing ones are not opened.
  const listing = await inspectNodeFolder(
    workingDir,
    folder,
    [
      statsFilePath(workingDir, nodeId, year),
      statsFilePath(workingDir, nodeId, year - 1),
      errorsFilePath(workingDir, nodeId, year),
      ...RESOURCE_NAMES.flatMap((resource) => [
        resourceFilePath(workingDir, nodeId, resource),
        resourceLogPath(workingDir, nodeId, resource),
      ]),
    ],
    options.knownPlainFolder,
  );
  const writes: PlannedWrite[] = [];
  let statsRow: StatsRow | undefined;
  let errorsAdded = 0;

  if (stats !== null) {
    const statsPath = statsFilePath(workingDir, nodeId, year);
    const errorsPath = errorsFilePath(workingDir, nodeId, year);
    const current = readStats(listing, statsPath);
    const errorsText = readListedFile(listing, errorsPath);
    const previousYear = needsPreviousYearRow(current.rows, runTime)
      ? readStats(listing, statsFilePath(workingDir, nodeId, year - 1))
      : undefined;
    const base = deltaBaseRow(current.rows, previousYear?.rows.at(-1), runTime);
    if (base !== undefined) {
      // The header is line 1; last year's row is the last of its file.
      const [file, line] =
        base.year === 'this'
          ? [statsPath, base.index + 2]
          : [statsFilePath(workingDir, nodeId, year - 1), (previousYear?.rows.length ?? 0) + 1];
      checkCounters(base.row, file, line);
    }
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

  const previousResources = RESOURCE_NAMES.map((resource) => {
    const path = resourceFilePath(workingDir, nodeId, resource);
    const text = readListedFile(listing, path);
    return { text, entries: text === undefined ? undefined : parseResourceJson(text, path) };
  });
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

  await removeStaleTemporaries(folder, listing.names);
  if (writes.length > 0) {
    if (!listing.exists) mkdirSync(folder, { recursive: true });
    for (const write of writes) {
      if (write.appendLines) appendLinesSync(write.path, write.appendLines);
      else writeFileAtomicSync(write.path, write.content);
    }
    if (options.sync ?? true) await syncFolder(folder);
  }
  return { nodeId, statsRow, errorsAdded, resourceChanges, filesWritten: writes.map((write) => write.path) };
}

/**
 * A counter of the row the deltas are computed against that is neither an integer nor `-` makes
 * its file broken: today's deltas would silently be lost.
 */
function checkCounters(row: StatsRow, file: string, line: number): void {
  const unreadable = unreadableCounter(row);
  if (unreadable === undefined) return;
  throw new BrokenFileError(
    file,
    `line ${line}, column ${unreadable.column}: not an integer: ${JSON.stringify(unreadable.value)}`,
  );
}
