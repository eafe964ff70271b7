import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDir } from '../src/files.js';
import { acquireLock, LockHeldError } from '../src/lock.js';

const workingDir = () => mkdtemp(join(tmpdir(), 'bm-lock-'));

/** The pid of a process that has exited: nothing holds it now. */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
}

describe('working-directory lock', () => {
  it('is taken once and refused to a second run while the first holds it', async () => {
    const dir = await workingDir();
    const lock = await acquireLock(dir, 'node-to-csv');
    expect(lock.file).toBe(join(stateDir(dir), 'run.lock'));
    const second = await acquireLock(dir, 'email-service').catch((e: unknown) => e);
    expect(second).toBeInstanceOf(LockHeldError);
    expect((second as LockHeldError).holder).toMatchObject({ pid: process.pid, app: 'node-to-csv' });
    await lock.release();
    const again = await acquireLock(dir, 'email-service');
    await again.release();
    expect(await readdir(stateDir(dir))).toEqual([]);
  });

  it('takes over the lock of a killed run, judged by its process and not by its age', async () => {
    const dir = await workingDir();
    const lock = await acquireLock(dir, 'node-to-csv');
    const stale = {
      pid: deadPid(),
      host: hostname(),
      app: 'node-to-csv',
      startedAt: new Date().toISOString(),
    };
    await writeFile(lock.file, JSON.stringify(stale));
    const taken = await acquireLock(dir, 'email-service');
    expect(taken.tookOverFrom).toMatchObject({ pid: stale.pid });
    expect(JSON.parse(await readFile(taken.file, 'utf8'))).toMatchObject({
      pid: process.pid,
      app: 'email-service',
    });
    await taken.release();
  });

  it('takes over a lock whose pid was reused by another process', async () => {
    const dir = await workingDir();
    const lock = await acquireLock(dir, 'node-to-csv');
    const mine = JSON.parse(await readFile(lock.file, 'utf8'));
    await writeFile(lock.file, JSON.stringify({ ...mine, processStart: '1' }));
    const taken = await acquireLock(dir, 'node-to-csv');
    expect(taken.tookOverFrom?.processStart).toBe('1');
    await taken.release();
  });

  it('takes over an empty or torn lock file', async () => {
    const dir = await workingDir();
    const first = await acquireLock(dir, 'node-to-csv');
    await writeFile(first.file, '{"pid": 12');
    const taken = await acquireLock(dir, 'node-to-csv');
    expect(taken.tookOverFrom?.pid).toBe(0);
    await taken.release();
  });

  it('removes stale locks that a killed run had moved aside, keeping those of live runs', async () => {
    const dir = await workingDir();
    const first = await acquireLock(dir, 'node-to-csv');
    await first.release();
    const dead = join(stateDir(dir), `run.lock.stale-${deadPid()}`);
    const live = join(stateDir(dir), `run.lock.stale-${process.ppid}`);
    await writeFile(dead, '{}');
    await writeFile(live, '{}');
    const lock = await acquireLock(dir, 'node-to-csv');
    expect((await readdir(stateDir(dir))).sort()).toEqual(['run.lock', `run.lock.stale-${process.ppid}`]);
    await lock.release();
  });

  it('does not remove a lock that another run took over', async () => {
    const dir = await workingDir();
    const lock = await acquireLock(dir, 'node-to-csv');
    const other = JSON.stringify({ pid: process.pid, host: hostname(), app: 'other', startedAt: 'x' });
    await writeFile(lock.file, other);
    await lock.release();
    expect(await readFile(lock.file, 'utf8')).toBe(other);
  });
});
