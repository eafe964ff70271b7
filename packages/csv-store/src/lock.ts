import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CsvStoreError } from './errors.js';
import { isProcessAlive, stateDir } from './files.js';

/** Another live run holds the lock of this working directory. */
export class LockHeldError extends CsvStoreError {
  override readonly name = 'LockHeldError';
  readonly holder: LockOwner;

  constructor(file: string, holder: LockOwner) {
    super(
      `${file} is held by process ${holder.pid} (${holder.app}, started ${holder.startedAt}); not running twice`,
    );
    this.holder = holder;
  }
}

export interface LockOwner {
  pid: number;
  host: string;
  app: string;
  startedAt: string;
  /** Kernel start time of the process (Linux), so a reused pid is not mistaken for the holder. */
  processStart?: string;
}

export interface StoreLock {
  file: string;
  /** Set when the lock of a killed run was found and taken over. */
  tookOverFrom?: LockOwner;
  release(): Promise<void>;
}

/**
 * Takes the lock of a working directory. A lock whose process is gone is stale and taken over;
 * staleness is decided by the holder's process, never by the lock's age (clocks can jump).
 */
export async function acquireLock(
  workingDir: string,
  app: string,
  now: Date = new Date(),
): Promise<StoreLock> {
  const dir = stateDir(workingDir);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'run.lock');
  const me: LockOwner = { pid: process.pid, host: hostname(), app, startedAt: now.toISOString() };
  const start = await processStartTime(process.pid);
  if (start) me.processStart = start;
  const content = `${JSON.stringify(me)}\n`;

  let staleOwner: LockOwner | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, content, { flag: 'wx' });
      await removeAsideLocks(dir);
      return {
        file,
        ...(staleOwner ? { tookOverFrom: staleOwner } : {}),
        release: () => releaseLock(file, content),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readOwner(file);
    if (holder && (await isAlive(holder))) throw new LockHeldError(file, holder);
    staleOwner = holder ?? UNKNOWN_OWNER;
    // Renaming is atomic: of two runs taking over the same stale lock, only one moves it away.
    const aside = `${file}.stale-${process.pid}`;
    try {
      await rename(file, aside);
    } catch {
      continue;
    }
    const moved = await readOwner(aside);
    if (moved && holder && moved.pid !== holder.pid) {
      // Another run took over between our read and our rename: its fresh lock goes back.
      await rename(aside, file);
      throw new LockHeldError(file, moved);
    }
    await unlink(aside).catch(() => undefined);
  }
  const holder = await readOwner(file);
  throw new LockHeldError(file, holder ?? UNKNOWN_OWNER);
}

const UNKNOWN_OWNER: LockOwner = { pid: 0, host: '?', app: 'unknown (unreadable lock file)', startedAt: '?' };

/** Stale locks moved aside by a run that was killed before it deleted them. */
async function removeAsideLocks(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const pid = Number(/^run\.lock\.stale-(\d+)$/.exec(name)?.[1] ?? Number.NaN);
    if (Number.isSafeInteger(pid) && pid !== process.pid && !isProcessAlive(pid)) {
      await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

async function releaseLock(file: string, content: string): Promise<void> {
  // Only our own lock is removed, never one another run took over after us.
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === content) await unlink(file).catch(() => undefined);
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    // Unreadable or half-written lock: a run killed while creating it.
    return undefined;
  }
}

async function isAlive(owner: LockOwner): Promise<boolean> {
  // A lock from another host cannot be checked here; respect it.
  if (owner.host !== hostname()) return true;
  if (!isProcessAlive(owner.pid)) return false;
  if (!owner.processStart) return true;
  return (await processStartTime(owner.pid)) === owner.processStart;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
async function processStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
