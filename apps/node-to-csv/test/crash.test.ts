import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '@broker-monitor/csv-store';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkspace, uploadDay, type Workspace } from './harness.js';

const BIN = new URL('../dist/cli.js', import.meta.url).pathname;
const NODES = 40;
let ws: Workspace;

beforeAll(async () => {
  ws = await startWorkspace({ concurrency: 8 });
  const now = new Date();
  for (let id = 1; id <= NODES; id++) {
    ws.broker.addNode({ id });
    uploadDay(ws.broker, id, {
      start: '2025-03-01T08:00:00+01:00',
      imported: id * 10,
      failed: id % 3,
      contact: now,
    });
  }
  ws.broker.setNow(now);
  // Slow answers keep the bin busy long enough to be killed in the middle of its work.
  ws.broker.setLatency(25);
});
afterAll(() => ws.broker.close());

/** Runs the real bin (system clock) and SIGKILLs it after `killAfterMs`, or lets it finish. */
function runBin(killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ws.config], { stdio: 'ignore' });
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function everyFileParses(work: string): Promise<number> {
  let files = 0;
  const year = new Date().getUTCFullYear();
  // A run killed before it created the working directory left nothing to check.
  const store = openStore(work);
  const ids = await store.listNodes().catch(() => []);
  for (const id of ids) {
    await store.readHistory(id, new Date(Date.UTC(year, 5, 1)));
    await store.readErrors(id, year);
    await store.readResources(id);
    files += (await readdir(join(work, id))).filter((f) => !f.endsWith('.tmp')).length;
  }
  return files;
}

it('leaves every file parseable when killed at random points, and the next run completes', async () => {
  const work = join(ws.dir, 'work');
  for (const killAfterMs of [60, 140, 220, 300, 420]) {
    const jitter = Math.floor(Math.random() * 40);
    expect(await runBin(killAfterMs + jitter)).toBeNull();
    await everyFileParses(work);
  }
  expect(await runBin()).toBe(0);
  expect(await everyFileParses(work)).toBe(NODES * 6);
  for (const id of await openStore(work).listNodes()) {
    expect((await openStore(work).readHistory(id, new Date())).thisYear).toHaveLength(1);
  }
}, 60_000);
