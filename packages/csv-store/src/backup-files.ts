import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

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

/** A node folder's files to back up, or `undefined` when the folder does not exist (a state, not a failure). */
export async function listNodeFiles(folder: string): Promise<BackupFile[] | undefined> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  const names: string[] = [];
  for (const entry of entries) {
    // Sub-folders are not part of a node's files; a link to a file is.
    const isFile =
      entry.isFile() ||
      (entry.isSymbolicLink() && (await stat(join(folder, entry.name)).catch(() => undefined))?.isFile());
    if (isFile) names.push(entry.name);
  }
  return selectBackupFiles(names);
}
