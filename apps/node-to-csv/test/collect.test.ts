import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '@broker-monitor/csv-store';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, DAY1, DAY2, START, startWorkspace, uploadDay, type Workspace } from './harness.js';

/** A year's stats rows, errors and a resource of a node, read through the store. */
const readStatsRows = async (work: string, id: string, year: number) =>
  (await openStore(work).readHistory(id, new Date(Date.UTC(year, 5, 1)))).thisYear;
const readErrorRows = (work: string, id: string, year: number) => openStore(work).readErrors(id, year);
const readResource = async (work: string, id: string, name: 'versions') =>
  (await openStore(work).readResources(id))[name];

let workspace: Workspace | undefined;
afterEach(async () => {
  await workspace?.broker.close();
  workspace = undefined;
});

async function threeNodes(): Promise<Workspace> {
  workspace = await startWorkspace();
  for (const id of [1, 2, 3]) workspace.broker.addNode({ id, clientDN: `CN=Klinikum ${id}` });
  for (const id of [1, 2, 3])
    uploadDay(workspace.broker, id, { start: START, imported: 100 * id, contact: DAY1 });
  return workspace;
}

describe('node-to-csv against the broker emulator', () => {
  it('collects every node into the store and computes daily values on the next day', async () => {
    const ws = await threeNodes();
    const first = await ws.run(DAY1);
    expect(first.code).toBe(0);
    for (const id of [1, 2, 3])
      uploadDay(ws.broker, id, { start: START, imported: 100 * id + 50, failed: 5, contact: DAY2 });
    const second = await ws.run(DAY2);
    expect(second.code).toBe(0);

    const work = join(ws.dir, 'work');
    const rows = await readStatsRows(work, '2', 2025);
    expect(
      rows?.map((r) => [r.date, r.imported, r.daily_imported, r.daily_failed, r.daily_error_rate]),
    ).toEqual([
      ['2025-03-10 06:00:00+00:00', '200', '-', '-', '-'],
      ['2025-03-11 06:00:00+00:00', '250', '50', '5', '9.09'],
    ]);
    expect(await readResource(work, '2', 'versions')).toEqual([
      ['java', '11.0.22'],
      ['dwh-j2ee', 'dwh-j2ee-1.5.1'],
    ]);
    const summary = second.lines.find((line) => line.summary);
    expect(summary).toMatchObject({ ok: 3, warning: 0, failed: 0, exitCode: 0 });
  });

  it('makes five requests per node and reuses kept bodies on 304', async () => {
    const ws = await threeNodes();
    await ws.run(DAY1);
    const perNode = (requests: readonly { path: string }[]) =>
      requests.filter((r) => r.path.startsWith('/broker/node/')).length / 3;
    expect(perNode(ws.broker.requests())).toBe(5);
    ws.broker.clearRequests();
    ws.broker.node(1).lastContact = DAY2;
    const stateFile = join(ws.dir, 'work', '.broker-monitor', 'conditional', '1.json');
    const stateBefore = await stat(stateFile);
    const second = await ws.run(DAY2);
    expect(second.code).toBe(0);
    // Every answer a 304: the kept state is the same and is not replaced (a replacement is a new inode).
    expect((await stat(stateFile)).ino).toBe(stateBefore.ino);
    const requests = ws.broker.requests().filter((r) => r.path.startsWith('/broker/node/'));
    expect(requests).toHaveLength(15);
    expect(requests.every((r) => r.status === 304 && r.headers.ifModifiedSince)).toBe(true);
    const rows = await readStatsRows(join(ws.dir, 'work'), '1', 2025);
    expect(rows?.[1]).toMatchObject({
      date: '2025-03-11 06:00:00+00:00',
      imported: '100',
      daily_imported: '0',
    });
    expect(second.lines.find((line) => line.summary)).toMatchObject({
      answers: { fresh: 0, notModified: 15 },
    });
  });

  it('replaces the row of a second run on the same day', async () => {
    const ws = await threeNodes();
    await ws.run(DAY1);
    uploadDay(ws.broker, 1, { start: START, imported: 180, contact: new Date('2025-03-10T12:00:00Z') });
    await ws.run(new Date('2025-03-10T18:30:00.250Z'));
    const rows = await readStatsRows(join(ws.dir, 'work'), '1', 2025);
    expect(rows?.map((r) => [r.date, r.imported])).toEqual([['2025-03-10 18:30:00.250000+00:00', '180']]);
  });

  it('warns, not fails, for a node that never uploaded stats, and still stores its resources', async () => {
    const ws = await threeNodes();
    ws.broker.addNode({ id: 4, clientDN: 'CN=Neu', lastContact: DAY1 });
    ws.broker.uploadProperties(4, 'versions', { os: 'Ubuntu' });
    const result = await ws.run(DAY1);
    expect(result.code).toBe(0);
    const work = join(ws.dir, 'work');
    expect(await readStatsRows(work, '4', 2025)).toEqual([]);
    expect(await readResource(work, '4', 'versions')).toEqual([['os', 'Ubuntu']]);
    expect(await readFile(join(work, '4', '4_rscript.txt'), 'utf8')).toBe('{}');
    expect(result.lines.find((l) => l.node === '4')).toMatchObject({ outcome: 'warning' });
  });

  it('fails only the nodes with faults, leaves their files untouched and exits 1', async () => {
    const ws = await threeNodes();
    await ws.run(DAY1);
    const work = join(ws.dir, 'work');
    const before = await snapshot(join(work, '2'));
    for (const id of [1, 2, 3]) uploadDay(ws.broker, id, { start: START, imported: 999, contact: DAY2 });
    ws.broker.addFault({ nodeId: 2, resource: 'versions' }, { kind: 'status', status: 500 });
    ws.broker.addFault({ nodeId: 3 }, { kind: 'entity-bomb' });
    const result = await ws.run(DAY2);
    expect(result.code).toBe(1);
    expect(await snapshot(join(work, '2'))).toEqual(before);
    expect((await readStatsRows(work, '1', 2025))?.at(-1)?.imported).toBe('999');
    const outcomes = Object.fromEntries(result.lines.filter((l) => l.node).map((l) => [l.node, l.outcome]));
    expect(outcomes).toEqual({ '1': 'ok', '2': 'failed', '3': 'failed' });
    expect(String(result.lines.find((l) => l.node === '3')?.reason)).toMatch(/entit|DOCTYPE/i);
  });

  it('retries transient broker errors and collects the node', async () => {
    const ws = await threeNodes();
    ws.broker.addFault({ nodeId: 1, resource: 'stats' }, { kind: 'status', status: 503 }, 2);
    ws.broker.addFault({ nodeId: 2 }, { kind: 'reset' }, 1);
    expect((await ws.run(DAY1)).code).toBe(0);
  });

  it('exits 3 naming the key when the broker refuses the key or cannot be reached', async () => {
    workspace = await startWorkspace({ apiKey: 'wrong-key-8c1e' });
    workspace.broker.addNode({ id: 1 });
    const refused = await workspace.run(DAY1);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('BROKER.API_KEY');
    expect(refused.stdout).not.toContain('wrong-key-8c1e');
    await workspace.broker.close();
    const unreachable = await workspace.run(DAY1);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stdout).toContain('BROKER.URL');
    workspace = undefined;
  });

  it('never writes the API key into a log line', async () => {
    const ws = await threeNodes();
    ws.broker.addFault({ nodeId: 1 }, { kind: 'status', status: 500 });
    const result = await ws.run(DAY1);
    expect(result.stdout).not.toContain(ADMIN_KEY);
    expect(result.lines.find((l) => l.node === '1')).toMatchObject({ outcome: 'failed' });
  });

  it('keeps If-Modified-Since state outside the node folders', async () => {
    const ws = await threeNodes();
    await ws.run(DAY1);
    const work = join(ws.dir, 'work');
    expect((await readdir(join(work, '1'))).sort()).toEqual([
      '1_errors_2025.csv',
      '1_import-scripts.txt',
      '1_python.txt',
      '1_rscript.txt',
      '1_stats_2025.csv',
      '1_versions.txt',
    ]);
    expect(await readdir(join(work, '.broker-monitor', 'conditional'))).toEqual([
      '1.json',
      '2.json',
      '3.json',
    ]);
    expect(await readErrorRows(work, '1', 2025)).toEqual([]);
  });

  it('checks config and broker with --check and changes nothing', async () => {
    const ws = await threeNodes();
    const result = await ws.run(DAY1, ['--check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('lists 3 nodes');
    await expect(stat(join(ws.dir, 'work'))).rejects.toThrow();
  });
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = await readdir(dir);
  return Object.fromEntries(
    await Promise.all(files.map(async (f) => [f, await readFile(join(dir, f), 'utf8')])),
  );
}

describe('node-to-csv security', () => {
  it('refuses a node list with ids that could be paths and writes nothing', async () => {
    const ws = await threeNodes();
    ws.broker.addFault('node-list', { kind: 'hostile-ids', ids: ['../x', '1/2'] });
    const result = await ws.run(DAY1);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('invalid node id');
    await expect(readdir(join(ws.dir, 'work'))).resolves.toEqual(['.broker-monitor']);
    await expect(stat(join(ws.dir, 'x'))).rejects.toThrow();
  });
});
