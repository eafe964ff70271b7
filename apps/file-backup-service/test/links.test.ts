import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeLine, PARENT, startWorkspace, type Workspace } from './fixture.js';

let workspace: Workspace;
let outside: string;
afterEach(async () => {
  await workspace.close();
  await rm(outside, { recursive: true, force: true });
});

describe('backup of a node folder with links', () => {
  it('skips a file or a node folder that links outside the working directory, with a warning naming it', async () => {
    workspace = await startWorkspace('datacenter', [
      { id: '6', commonName: 'Klinikum Sechs', files: { '6_stats_2025.csv': 'date;last_contact\n' } },
    ]);
    outside = await mkdtemp(join(tmpdir(), 'bm-outside-'));
    await writeFile(join(outside, 'else.txt'), 'content from outside');
    const link = join(workspace.working, '6', '6_extra.txt');
    await symlink(join(outside, 'else.txt'), link);
    const { emulator } = workspace;
    emulator.addPage({ title: 'Support' });
    emulator.addPage({ title: PARENT, parentTitle: 'Support' });
    const page = emulator.addPage({ title: 'Klinikum Sechs', parentTitle: PARENT });

    const result = await workspace.run();
    expect(result.code).toBe(0);
    expect(emulator.attachments(page.id).map((a) => a.fileName)).toEqual(['6_stats_2025.csv']);
    expect(result.lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        node: '6',
        file: link,
        msg: expect.stringContaining(
          `node 6: skipped ${link}: a link that leads outside the working directory`,
        ),
      }),
    );
    expect(nodeLine(result, '6')).toMatchObject({ outcome: 'ok', uploaded: 1 });
    const check = await workspace.run('--check');
    expect(check.stdout).toContain(`warning: node 6: skipped ${link}`);
  });

  it('uploads nothing from a node folder that is a link leading outside', async () => {
    workspace = await startWorkspace('datacenter', [{ id: '9', commonName: 'Klinikum Neun' }]);
    outside = await mkdtemp(join(tmpdir(), 'bm-outside-'));
    await writeFile(join(outside, '9_stats_2025.csv'), 'outside stats');
    await symlink(outside, join(workspace.working, '9'));
    workspace.emulator.addPage({ title: 'Support' });
    const page = workspace.emulator.addPage({ title: 'Klinikum Neun', parentTitle: 'Support' });

    const result = await workspace.run();
    expect(result.code).toBe(0);
    expect(workspace.emulator.attachments(page.id)).toEqual([]);
    expect(result.lines).toContainEqual(
      expect.objectContaining({
        node: '9',
        msg: expect.stringContaining(`skipped ${join(workspace.working, '9')}`),
      }),
    );
  });
});
