import { mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outcomeOf } from '@broker-monitor/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY1, DAY2, START, startWorkspace, uploadDay, type Workspace } from './harness.js';

let workspace: Workspace | undefined;
afterEach(async () => {
  await workspace?.broker.close();
  workspace = undefined;
});

describe('node-to-csv with a working directory left in a bad state', () => {
  it('fails only the nodes with a hand-edited counter, a folder that is a file or links leading outside; writes nothing outside', async () => {
    workspace = await startWorkspace();
    const ws = workspace;
    for (const id of [1, 2, 3, 4, 5]) ws.broker.addNode({ id });
    for (const id of [1, 2, 3, 4, 5]) uploadDay(ws.broker, id, { start: START, imported: 10, contact: DAY1 });
    expect((await ws.run(DAY1)).code).toBe(0);

    const work = join(ws.dir, 'work');
    const outside = await mkdtemp(join(tmpdir(), 'bm-outside-'));
    // 1: `imported` of the last row edited to `abc`.
    const stats1 = join(work, '1', '1_stats_2025.csv');
    const edited = (await readFile(stats1, 'utf8')).replace(/;10;0;0;0;/, ';abc;0;0;0;');
    await writeFile(stats1, edited);
    // 2: the node folder replaced by a file.
    await rm(join(work, '2'), { recursive: true });
    await writeFile(join(work, '2'), 'a file');
    // 3: the node folder moved elsewhere and linked.
    await rename(join(work, '3'), join(outside, '3'));
    await symlink(join(outside, '3'), join(work, '3'));
    // 4: the stats file linked to a copy elsewhere.
    const stats4 = join(work, '4', '4_stats_2025.csv');
    await rename(stats4, join(outside, '4_stats_2025.csv'));
    await symlink(join(outside, '4_stats_2025.csv'), stats4);
    const outsideBefore = await snapshot(outside);

    for (const id of [1, 2, 3, 4, 5]) uploadDay(ws.broker, id, { start: START, imported: 20, contact: DAY2 });
    const run = await ws.run(DAY2);
    expect(run.code).toBe(1);
    expect(outcomeOf({ logs: run.lines }, '1')).toMatchObject({
      outcome: 'failed',
      reason: `${stats1}: line 2, column imported: not an integer: "abc"`,
    });
    expect(outcomeOf({ logs: run.lines }, '2')).toMatchObject({
      outcome: 'failed',
      reason: `${join(work, '2')}: is a file, not a node folder; move it away so that the node's files can be written`,
    });
    expect(outcomeOf({ logs: run.lines }, '3')?.reason).toContain(
      `${join(work, '3')}: a link that leads outside the working directory`,
    );
    expect(outcomeOf({ logs: run.lines }, '4')?.reason).toContain(`${stats4}: a link that leads outside`);
    expect(outcomeOf({ logs: run.lines }, '5')).toMatchObject({ outcome: 'ok' });
    expect(await readFile(stats1, 'utf8')).toBe(edited);
    expect(await snapshot(outside)).toEqual(outsideBefore);
    expect(JSON.stringify(run.lines)).not.toContain('ENOTDIR');
  });
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      result[path] = await readFile(path, 'utf8');
    }
  }
  return result;
}
