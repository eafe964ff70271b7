import { readFile, realpath } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { basename } from 'node:path';

interface Mount {
  device: string;
  point: string;
  type: string;
}

/** The mount holding `path` (the longest mount point that is a prefix of it), from /proc/mounts. */
export function mountOf(mountsText: string, path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const line of mountsText.split('\n')) {
    const [device, point, type] = line.split(' ');
    if (device === undefined || point === undefined || type === undefined) continue;
    const inside = path === point || path.startsWith(point.endsWith('/') ? point : `${point}/`);
    if (inside && (best === undefined || point.length > best.point.length)) best = { device, point, type };
  }
  return best;
}

/**
 * Where the working directories are, and what kind of file system: every collector run creates
 * thousands of files (atomic replace), so the file system shows in the figures. An ext4 without a
 * journal scans recently deleted inodes on every file it creates (Linux `find_inode_bit`).
 */
async function fileSystem(dir: string): Promise<string> {
  const path = await realpath(dir);
  const mounts = await readFile('/proc/mounts', 'utf8').catch(() => undefined);
  const mount = mounts === undefined ? undefined : mountOf(mounts, path);
  if (mount === undefined) return `working directories in ${path}`;
  const kind = mount.type;
  if (mount.type === 'ext4') {
    const journal = await readFile(`/sys/fs/ext4/${basename(mount.device)}/journal_task`, 'utf8').catch(
      () => undefined,
    );
    if (journal?.trim() === '<none>') {
      return (
        `working directories in ${path} (ext4 without a journal, mounted at ${mount.point}): creating a ` +
        'file there skips every inode deleted in the last minutes one by one, so collector runs vary with ' +
        'what was deleted before them; BENCH_DIR=/dev/shm measures the apps without that'
      );
    }
  }
  return `working directories in ${path} (${kind}, mounted at ${mount.point})`;
}

/** The 1-minute load average, to tell later whether other work shared the machine. */
export function loadAverage(): number {
  return loadavg()[0] ?? 0;
}

/** Lines describing the machine the figures come from; `loadAtStart` from `loadAverage()`. */
export async function describeEnvironment(dir: string, loadAtStart: number): Promise<string[]> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `${availableParallelism()} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}`,
    `load average (1 min) ${loadAtStart.toFixed(2)} at the start, ${loadAverage().toFixed(2)} at the end ` +
      '(the bench itself keeps about one core busy; more means other work shared the machine)',
    await fileSystem(dir),
  ];
}
