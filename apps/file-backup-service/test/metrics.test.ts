import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatedPage } from '@broker-monitor/confluence-emulator';
import { checkMetricsFiles } from '@broker-monitor/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { PARENT, startWorkspace, type TestNode, type Workspace } from './fixture.js';

const RUN = 'app="file-backup-service"';
/** The fixture's clock, 2025-03-01T06:00:00Z. */
const RUN_END = 1740808800;

const NODES: TestNode[] = [
  { id: '3', commonName: 'Klinikum Drei', files: { '3_stats_2025.csv': 'date\n', '3_versions.txt': '{}' } },
  { id: '12', commonName: 'Klinikum Zwölf', files: { '12_stats_2025.csv': 'date\n' } },
];

let workspace: Workspace;
afterEach(async () => {
  await workspace.close();
});

/** The two nodes with their pages, and [METRICS] in the config (rewritten by `writeConfig`). */
async function backupWithTextfile(): Promise<{
  dir: string;
  prom: () => Promise<string>;
  pages: EmulatedPage[];
}> {
  workspace = await startWorkspace('datacenter', NODES);
  workspace.emulator.addPage({ title: 'Support' });
  workspace.emulator.addPage({ title: PARENT, parentTitle: 'Support' });
  const pages = NODES.map((node) =>
    workspace.emulator.addPage({ title: node.commonName, parentTitle: PARENT }),
  );
  const dir = join(workspace.working, 'textfile');
  await mkdir(dir);
  await appendFile(workspace.config, `[METRICS]\nTEXTFILE_DIR = ${JSON.stringify(dir)}\n`);
  return { dir, pages, prom: () => readFile(join(dir, 'broker_monitor_file-backup-service.prom'), 'utf8') };
}

/** The files counted per outcome, in a textfile that passes the metrics checks. */
async function expectFileFigures(dir: string, lines: string[], files: { uploaded: number; failed: number }) {
  expect(lines).toContain(`broker_monitor_backup_files{outcome="uploaded"} ${files.uploaded}`);
  expect(lines).toContain(`broker_monitor_backup_files{outcome="failed"} ${files.failed}`);
  expect(await checkMetricsFiles(dir)).toEqual({});
}

describe('the backup textfile', () => {
  it('after a clean run: the run figures and the files per outcome', async () => {
    const textfile = await backupWithTextfile();
    expect((await workspace.run()).code).toBe(0);
    const lines = (await textfile.prom()).split('\n');
    expect(lines).toContain(`broker_monitor_run_exit_code{${RUN}} 0`);
    expect(lines).toContain(`broker_monitor_run_last_success_timestamp_seconds{${RUN}} ${RUN_END}`);
    expect(lines).toContain(`broker_monitor_run_outcomes{${RUN},outcome="ok"} 2`);
    await expectFileFigures(textfile.dir, lines, { uploaded: 3, failed: 0 });
  });

  it('after a run with a failed node: exit 1 and its files counted as failed', async () => {
    const textfile = await backupWithTextfile();
    const broken = (textfile.pages[1] as EmulatedPage).id;
    workspace.emulator.addFault({
      method: 'POST',
      path: new RegExp(`^/rest/api/content/${broken}/child/attachment`),
      status: 500,
    });
    expect((await workspace.run()).code).toBe(1);
    const lines = (await textfile.prom()).split('\n');
    expect(lines).toContain(`broker_monitor_run_exit_code{${RUN}} 1`);
    expect(lines).toContain(`broker_monitor_run_outcomes{${RUN},outcome="failed"} 1`);
    await expectFileFigures(textfile.dir, lines, { uploaded: 2, failed: 1 });
  });

  it('after a run that exits 3 (token refused): no file figures, the last success of the run before', async () => {
    const textfile = await backupWithTextfile();
    expect((await workspace.run()).code).toBe(0);
    const config = await readFile(workspace.config, 'utf8');
    await workspace.writeConfig({ TOKEN: 'revoked' });
    await appendFile(workspace.config, config.slice(config.indexOf('[METRICS]')));
    expect((await workspace.run()).code).toBe(3);
    const text = await textfile.prom();
    const lines = text.split('\n');
    expect(lines).toContain(`broker_monitor_run_exit_code{${RUN}} 3`);
    expect(lines).toContain(`broker_monitor_run_last_success_timestamp_seconds{${RUN}} ${RUN_END}`);
    expect(text).not.toContain('broker_monitor_backup_files');
    expect(await checkMetricsFiles(textfile.dir)).toEqual({});
  });
});
