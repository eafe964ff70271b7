import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UnusablePathError } from './errors.js';
import { checkInsideWorkingDir } from './files.js';

/**
 * What is backed up, in this order: names ending in `csv`, then `txt`, then `log`. The test is on
 * the name's end without a dot, as in the original, so `<id>_sent_mails.log` is included and the
 * store's temporary `….tmp` files are not.
 */
const SUFFIXES = [
  { suffix: 'csv', mediaType: 'text/csv' },
  { suffix: 'txt', mediaType: 'text/plain' },
  { suffix: 'log', mediaType: 'text/plain' },
] as const;

export interface BackupFile {
  name: string;
  mediaType: string;
}

/** The files to back up among a folder's file names: grouped by suffix, sorted by name within a group. */
export function selectBackupFiles(names: readonly string[]): BackupFile[] {
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return SUFFIXES.flatMap(({ suffix, mediaType }) =>
    sorted.filter((name) => name.endsWith(suffix)).map((name) => ({ name, mediaType })),
  );
}

/** An entry of a node folder the backup leaves out, and why. */
export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface BackupListing {
  files: BackupFile[];
  /** Links that lead outside the working directory (the node folder itself, or a file in it). */
  skipped: SkippedEntry[];
}

/** A node folder's files to back up, or `undefined` when the folder does not exist (a state, not a failure). */
export async function listNodeFiles(workingDir: string, folder: string): Promise<BackupListing | undefined> {
  const outside = await outsideWorkingDir(workingDir, folder);
  if (outside) return { files: [], skipped: [outside] };
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  const names: string[] = [];
  const skipped: SkippedEntry[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    // Sub-folders are not part of a node's files; a link to a file inside the working directory is.
    if (entry.isSymbolicLink()) {
      const linkOutside = await outsideWorkingDir(workingDir, path);
      if (linkOutside) skipped.push(linkOutside);
      else if ((await stat(path).catch(() => undefined))?.isFile()) names.push(entry.name);
    } else if (entry.isFile()) names.push(entry.name);
  }
  const files = selectBackupFiles(names);
  // Only what would have been uploaded is worth a warning.
  const wanted = new Set(selectBackupFiles(skipped.map((entry) => basename(entry.path))).map((f) => f.name));
  return { files, skipped: skipped.filter((entry) => wanted.has(basename(entry.path))) };
}

/** A node's file's bytes, unless a link put there since the listing leads outside the working directory. */
export async function readNodeFile(workingDir: string, path: string): Promise<Buffer> {
  await checkInsideWorkingDir(workingDir, [path]);
  return readFile(path);
}

async function outsideWorkingDir(workingDir: string, path: string): Promise<SkippedEntry | undefined> {
  try {
    await checkInsideWorkingDir(workingDir, [path]);
    return undefined;
  } catch (error) {
    if (error instanceof UnusablePathError) return { path: error.path, reason: error.reason };
    throw error;
  }
}
