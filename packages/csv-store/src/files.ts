/*
 * The files of the working directory: `WORKING/<id>/<id>_stats_<year>.csv`, `<id>_errors_<year>.csv`,
 * `<id>_<resource>.txt` and `<id>_log_<resource>.log`. Every replacement is atomic
 * (temporary file in the same folder + rename), so readers and a killed run never see half a file.
 */
import {
  appendFileSync,
  closeSync,
  type Dirent,
  fsync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import {
  appendFile,
  lstat,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { BrokenFileError, InvalidNodeIdError, UnusablePathError } from './errors.js';
import { parseResourceJson } from './resource-json.js';
import { parseErrorsCsv, parseStatsCsv } from './store-format.js';
import type { ErrorRow, ResourceEntries, ResourceName, StatsRow } from './types.js';

const NODE_ID = /^[0-9]{1,19}$/;

/** Where state that the Python version does not have lives (never inside a node folder). */
export function stateDir(workingDir: string): string {
  return join(workingDir, '.broker-monitor');
}

/** Whether a node id may become a path: digits only (the broker's ids are numbers). */
export function isValidNodeId(nodeId: string): boolean {
  return NODE_ID.test(nodeId);
}

/** The node's folder; throws InvalidNodeIdError for anything but digits (`../x`, `1/2`, …). */
export function nodeFolderPath(workingDir: string, nodeId: string): string {
  if (!isValidNodeId(nodeId)) throw new InvalidNodeIdError(nodeId);
  return join(workingDir, nodeId);
}

export function statsFilePath(workingDir: string, nodeId: string, year: number): string {
  return join(nodeFolderPath(workingDir, nodeId), `${nodeId}_stats_${year}.csv`);
}

export function errorsFilePath(workingDir: string, nodeId: string, year: number): string {
  return join(nodeFolderPath(workingDir, nodeId), `${nodeId}_errors_${year}.csv`);
}

export function resourceFilePath(workingDir: string, nodeId: string, resource: ResourceName): string {
  return join(nodeFolderPath(workingDir, nodeId), `${nodeId}_${resource}.txt`);
}

export function resourceLogPath(workingDir: string, nodeId: string, resource: ResourceName): string {
  return join(nodeFolderPath(workingDir, nodeId), `${nodeId}_log_${resource}.log`);
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Refuses paths that, once every link on the way is followed, lead outside the working directory,
 * and links that lead nowhere (writing would create their target wherever they point). A path
 * that does not exist yet is judged by its nearest existing folder.
 * @throws UnusablePathError naming the path and where it leads.
 */
export async function checkInsideWorkingDir(workingDir: string, paths: readonly string[]): Promise<void> {
  let root: string;
  try {
    root = await realpath(workingDir);
  } catch (error) {
    // Nothing exists yet, so nothing links anywhere.
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  await Promise.all(
    paths.map(async (path) => {
      const target = await resolvedPath(path);
      if (target !== root && !target.startsWith(`${root}${sep}`)) {
        throw new UnusablePathError(
          path,
          `a link that leads outside the working directory ${workingDir} (to ${target}); nothing is read from or written through it`,
        );
      }
    }),
  );
}

/**
 * checkInsideWorkingDir for an entry directly in the working directory (a node folder, the state
 * folder) with one lstat: an entry that is no link leads where its name says, inside. A link, or
 * anything unexpected, gets the full check (and its error).
 * @throws UnusablePathError naming the path and where it leads.
 */
export async function checkWorkingDirEntry(workingDir: string, entry: string): Promise<void> {
  // Synchronous, as the collector's other calls per node (see readTextFileSync).
  let info: ReturnType<typeof lstatSync> | string | undefined;
  try {
    info = lstatSync(entry);
  } catch (error) {
    info = errorCode(error);
  }
  if (info === 'ENOENT' || (typeof info === 'object' && !info.isSymbolicLink())) return;
  await checkInsideWorkingDir(workingDir, [entry]);
}

/** Where a path leads with every link followed; for a missing path, its nearest existing folder's path plus the rest. */
async function resolvedPath(path: string): Promise<string> {
  const missing: string[] = [];
  let existing = path;
  for (;;) {
    try {
      return join(await realpath(existing), ...missing);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || dirname(existing) === existing) throw error;
      const link = await lstat(existing).catch(() => undefined);
      if (link?.isSymbolicLink()) {
        throw new UnusablePathError(
          existing,
          `a link to ${await readlink(existing)}, which does not exist; nothing is written through it`,
        );
      }
      missing.unshift(basename(existing));
      existing = dirname(existing);
    }
  }
}

/**
 * Refuses a node folder that is a file or leads outside the working directory; a missing one is
 * fine (it is created when written).
 * @throws UnusablePathError naming the folder.
 */
export async function checkNodeFolder(workingDir: string, folder: string): Promise<void> {
  await checkInsideWorkingDir(workingDir, [folder]);
  const info = await stat(folder).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (info !== undefined && !info.isDirectory()) {
    throw nodeFolderIsAFile(folder);
  }
}

function nodeFolderIsAFile(folder: string): UnusablePathError {
  return new UnusablePathError(
    folder,
    "is a file, not a node folder; move it away so that the node's files can be written",
  );
}

/**
 * The names of the working directory's entries that are folders and no links, from one readdir:
 * such a node folder needs no lstat of its own before its files are read and written.
 */
export function listPlainFolders(workingDir: string): Set<string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(workingDir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return new Set();
    throw error;
  }
  return new Set(entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name));
}

/** What one look at a node folder found: the names in it, for reads that skip missing files. */
export interface NodeFolderListing {
  /** Names present in the folder; empty when it does not exist yet. */
  names: ReadonlySet<string>;
  /** Whether the folder exists (then it need not be created). */
  exists: boolean;
}

/**
 * checkNodeFolder and checkInsideWorkingDir for files of that folder, with one readdir instead of
 * a realpath per file: the folder is resolved once, and a file in it can only lead elsewhere if it
 * is a link, which its directory entry says (those alone are then resolved). Refuses the same paths
 * with the same errors.
 * @throws UnusablePathError naming the folder or the file.
 */
export async function inspectNodeFolder(
  workingDir: string,
  folder: string,
  files: readonly string[],
  knownPlainFolder = false,
): Promise<NodeFolderListing> {
  if (!knownPlainFolder) await checkWorkingDirEntry(workingDir, folder);
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { names: new Set(), exists: false };
    if (errorCode(error) === 'ENOTDIR') {
      throw nodeFolderIsAFile(folder);
    }
    throw error;
  }
  const wanted = new Set(files.map((file) => basename(file)));
  const links = entries.filter((entry) => entry.isSymbolicLink() && wanted.has(entry.name));
  if (links.length > 0) {
    await checkInsideWorkingDir(
      workingDir,
      links.map((entry) => join(folder, entry.name)),
    );
  }
  return { names: new Set(entries.map((entry) => entry.name)), exists: true };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file's text, or `undefined` when it does not exist; invalid UTF-8 is a BrokenFileError. */
export async function readTextFile(path: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return decodeText(path, bytes);
}

/**
 * readTextFile without the thread pool, for the collector's small files of one node: a read from
 * the page cache takes microseconds, the trips to a libuv thread and back cost more CPU than that.
 */
export function readTextFileSync(path: string): string | undefined {
  let text: string;
  try {
    // Node reads a file as UTF-8 text in one call (no descriptor, stat and reads from JS), but puts
    // U+FFFD where the bytes are invalid: only a text holding one is read again to tell which.
    text = readFileSync(path, 'utf8');
    if (text.includes('\uFFFD')) return decodeText(path, readFileSync(path));
    // As the decoder of readTextFile: a byte order mark is not part of the text.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return text;
}

function decodeText(path: string, bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BrokenFileError(path, 'the file is not valid UTF-8');
  }
}

/** A store file read and parsed; `undefined` when it does not exist. */
async function readParsedFile<T>(
  path: string,
  parse: (text: string, file: string) => T,
): Promise<T | undefined> {
  const text = await readTextFile(path);
  return text === undefined ? undefined : parse(text, path);
}

/** Reads one of a node's files of a year; `undefined` when the file does not exist. */
type YearFileReader<T> = (workingDir: string, nodeId: string, year: number) => Promise<T | undefined>;

/** The rows of a node's stats CSV of a year. */
export const readStatsRows: YearFileReader<StatsRow[]> = (workingDir, nodeId, year) =>
  readParsedFile(statsFilePath(workingDir, nodeId, year), parseStatsCsv);

/** The rows of a node's errors CSV of a year (newest first). */
export const readErrorRows: YearFileReader<ErrorRow[]> = (workingDir, nodeId, year) =>
  readParsedFile(errorsFilePath(workingDir, nodeId, year), parseErrorsCsv);

/** A node's resource snapshot in document order; `undefined` when the file does not exist. */
export const readResource = (
  workingDir: string,
  nodeId: string,
  resource: ResourceName,
): Promise<ResourceEntries | undefined> =>
  readParsedFile(resourceFilePath(workingDir, nodeId, resource), parseResourceJson);

/**
 * The node folders of the working directory (names that are node ids), in numeric order.
 * Other entries (`.broker-monitor`, `tracking_*.json`, a report folder) are left out.
 */
export async function listNodeFolders(workingDir: string): Promise<string[]> {
  const entries = await readdir(workingDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && isValidNodeId(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : a.localeCompare(b)));
}

const TEMPORARY_FILE = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Replaces a file atomically: writes a temporary file next to it, then renames it over the
 * target. No fsync here (a killed process cannot tear a renamed file); see syncFolder.
 * The temporary name (`.<name>.<pid>.<random>.tmp`) ends in `.tmp`, so the backup
 * (csv/txt/log) never picks it up.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = temporaryPath(path);
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * writeFileAtomic without the thread pool (see readTextFileSync): the collector replaces a few
 * small files per node, where four trips to a libuv thread cost more CPU than the writes.
 */
export function writeFileAtomicSync(path: string, content: string): void {
  const temporary = temporaryPath(path);
  try {
    writeFileSync(temporary, content, { flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function temporaryPath(path: string): string {
  // Math.random, not crypto: the name only has to differ from a dead writer's leftover of the
  // same pid, and the collector makes several thousand of them per run.
  const random = Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
  return join(dirname(path), `.${basename(path)}.${process.pid}.${random}.tmp`);
}

/** Whether a process of this machine is alive (EPERM: alive, but another user's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that a killed writer left in a folder (those of processes that
 * are gone), so that a crash leaves no half-written file behind for long.
 */
export async function removeStaleTemporaryFiles(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return removeStaleTemporaries(folder, names);
}

/** removeStaleTemporaryFiles for a folder whose names were already read. */
export async function removeStaleTemporaries(folder: string, names: Iterable<string>): Promise<string[]> {
  const stale = [...names].filter((name) => {
    const pid = Number(TEMPORARY_FILE.exec(name)?.[1] ?? Number.NaN);
    return Number.isSafeInteger(pid) && pid !== process.pid && !isProcessAlive(pid);
  });
  await Promise.all(stale.map((name) => rm(join(folder, name), { force: true })));
  return stale.map((name) => join(folder, name));
}

/** Appends lines (each ended with `\n`) in one write; nothing happens for no lines. */
export async function appendLines(path: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  await appendFile(path, joinedLines(lines), 'utf8');
}

/** appendLines without the thread pool (see writeFileAtomicSync). */
export function appendLinesSync(path: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  appendFileSync(path, joinedLines(lines), 'utf8');
}

function joinedLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** Makes the renames in a folder durable: one fsync of the folder. */
export async function syncFolder(folder: string): Promise<void> {
  // Opening and closing a folder never waits for the disk, its fsync may: only that goes to a
  // libuv thread (see readTextFileSync).
  const descriptor = openSync(folder, 'r');
  try {
    await new Promise<void>((resolve, reject) => {
      fsync(descriptor, (error) => (error === null ? resolve() : reject(error)));
    });
  } finally {
    closeSync(descriptor);
  }
}
