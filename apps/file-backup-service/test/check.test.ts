import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { flavours, PARENT, runBackupApp, startWorkspace, type Workspace } from './fixture.js';

describe.each(flavours)('--check on $name', ({ flavour }) => {
  let workspace: Workspace;
  afterEach(async () => {
    await workspace.close();
  });

  const start = async () => {
    workspace = await startWorkspace(flavour, [
      { id: '1', commonName: 'Klinikum Eins', files: { '1_stats_2025.csv': 'date\n' } },
      { id: '2', commonName: 'Klinikum Zwei', files: { '2_stats_2025.csv': 'date\n' } },
      { id: '3', commonName: 'Klinikum Drei' },
    ]);
    workspace.emulator.addPage({ title: PARENT });
    workspace.emulator.addPage({ title: 'Klinikum Eins', parentTitle: PARENT });
    workspace.emulator.addPage({ title: 'Klinikum Drei', parentTitle: PARENT });
    workspace.emulator.clearRequests();
  };

  /** `--check` against a config whose Confluence keys are overridden. */
  const checkWithConfig = async (confluence: Record<string, string>) => {
    await start();
    await workspace.writeConfig(confluence);
    return workspace.run('--check');
  };

  it('reaches Confluence, reports missing pages and folders, and changes nothing', async () => {
    await start();

    const result = await workspace.run('--check');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`config ${workspace.config}: ok`);
    expect(result.stdout).toContain('mapping');
    expect(result.stdout).toContain('reachable, token accepted');
    expect(result.stdout).toContain(
      flavour === 'cloud' ? '(Cloud, space AKTIN)' : '(Data Center, space AKTIN)',
    );
    expect(result.stdout).toContain('warning: node 2: no page "Klinikum Zwei" in space AKTIN');
    expect(result.stdout).toContain(`warning: node 3: no folder ${join(workspace.working, '3')}`);
    expect(result.stdout).toContain('1 of 3 nodes ready to back up, 0 problems; nothing was changed');
    expect(workspace.requests().every((r) => r.startsWith('GET '))).toBe(true);
    expect(workspace.emulator.pages().flatMap((p) => workspace.emulator.attachments(p.id))).toEqual([]);
  });

  it('exits 3 naming the token when it is refused', async () => {
    const result = await checkWithConfig({ TOKEN: 'wrong' });

    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(
      /Confluence http:\/\/127\.0\.0\.1:\d+(\/wiki)?: Confluence refused our credentials/,
    );
    expect(result.stdout).toContain('CONFLUENCE.TOKEN)');
  });

  it('exits 3 naming the space when the space has none of the pages', async () => {
    const result = await checkWithConfig({ SPACE: 'OTHER' });

    expect(result.code).toBe(3);
    // Cloud looks the space up by key first and finds none; Data Center lists it empty.
    expect(result.stdout).toContain(
      flavour === 'cloud'
        ? 'no space with the key OTHER'
        : 'space OTHER has neither the page "Support Log Broker-Monitor"',
    );
    expect(result.stdout).toContain('(check CONFLUENCE.SPACE)');
  });

  it('exits 1 for a node the mapping cannot describe, 2 for a mapping that is not JSON', async () => {
    await start();
    const mapping = join(workspace.working, 'mapping.json');
    await writeFile(
      mapping,
      '{"1": {"COMMON_NAME": "Klinikum Eins"}, "2": {"COMMON_NAME": 2}, "3": {"COMMON_NAME": "Klinikum Drei"}}',
    );
    const result = await workspace.run('--check');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('problem:');
    expect(result.stdout).toContain('node 2: COMMON_NAME');

    await writeFile(mapping, '{not json');
    const broken = await runBackupApp([workspace.config, '--check']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('not valid JSON');
  });
});
