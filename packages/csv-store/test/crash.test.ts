/*
 * Crash safety: a writer killed with SIGKILL at arbitrary points leaves every store file
 * readable, and the next run completes and clears the killed writer's temporary files.
 * The writer runs the built package (dist/), as turbo builds it before the tests.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNodeCollection } from '../src/collection.js';
import { listNodeFolders, readErrorRows, readResource, readStatsRows, statsFilePath } from '../src/files.js';
import { RESOURCE_NAMES } from '../src/types.js';

const scratch = await mkdtemp(join(tmpdir(), 'csv-store-crash-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function runAndKill(workingDir: string, afterMs: number): Promise<void> {
  const child = fork(new URL('./helpers/write-loop.mjs', import.meta.url), [workingDir], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function expectEveryFileReadable(workingDir: string): Promise<void> {
  for (const nodeId of await listNodeFolders(workingDir)) {
    for (const name of await readdir(join(workingDir, nodeId))) {
      const year = /_(?:stats|errors)_(\d{4})\.csv$/.exec(name)?.[1];
      if (name.includes('_stats_') && year) await readStatsRows(workingDir, nodeId, Number(year));
      if (name.includes('_errors_') && year) await readErrorRows(workingDir, nodeId, Number(year));
    }
    for (const resource of RESOURCE_NAMES) await readResource(workingDir, nodeId, resource);
  }
}

describe('a writer killed at random points', () => {
  it.each([15, 40, 75, 120, 200])(
    'leaves every file readable after %i ms, and the next run completes',
    async (afterMs) => {
      const workingDir = join(scratch, String(afterMs));
      await rm(workingDir, { recursive: true, force: true });
      await runAndKill(workingDir, afterMs);
      await expectEveryFileReadable(workingDir);

      const nodes = await listNodeFolders(workingDir);
      expect(nodes.length).toBeGreaterThan(0);
      const leftover = join(workingDir, '1', '.1_stats_2025.csv.999999999.0badf00d.tmp');
      await writeFile(leftover, 'half a fi');
      const now = new Date('2030-01-01T06:00:00Z');
      for (const nodeId of nodes) {
        await writeNodeCollection(
          workingDir,
          {
            nodeId,
            lastContact: null,
            stats: { start: null, imported: 1, updated: 0, invalid: 0, failed: 0, errors: [] },
            resources: { versions: null, rscript: null, python: null, 'import-scripts': null },
          },
          { now: () => now },
        );
        expect((await readStatsRows(workingDir, nodeId, 2030))?.length).toBe(1);
        expect((await readdir(join(workingDir, nodeId))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      }
      await expectEveryFileReadable(workingDir);
      expect(statsFilePath(workingDir, '1', 2030)).toContain('1_stats_2030.csv');
    },
  );
});
