import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ConfluenceEmulator, startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import { NODE_STATUS_TITLES } from '@broker-monitor/status-rules';
import { checkMetricsFiles } from '@broker-monitor/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPECTED_STATUS, NOW, statusFixture } from './status-fixture.js';
import { dayRows, makeSetup, runReporter, type Setup, writeNode } from './store.js';

const emulators: ConfluenceEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

/** Adds [METRICS] to the setup's config; returns the textfile folder and a reader of the reporter's file. */
async function withTextfile(setup: Setup): Promise<{ dir: string; prom: () => Promise<string> }> {
  const dir = join(setup.dir, 'textfile');
  await mkdir(dir);
  await appendFile(setup.configPath, `[METRICS]\nTEXTFILE_DIR = ${JSON.stringify(dir)}\n`);
  return { dir, prom: () => readFile(join(dir, 'broker_monitor_csv-to-confluence.prom'), 'utf8') };
}

const RUN = 'app="csv-to-confluence"';

/** A local report with the textfile: the exit code asserted in both places, then the file's lines. */
async function reportWithTextfile(
  setup: Setup,
  textfile: { prom: () => Promise<string> },
  exitCode: number,
): Promise<{ text: string; lines: string[] }> {
  const result = await runReporter(NOW, [setup.configPath, '--out', join(setup.dir, 'out')]);
  expect(result.code).toBe(exitCode);
  const text = await textfile.prom();
  const lines = text.split('\n');
  expect(lines).toContain(`broker_monitor_run_exit_code{${RUN}} ${exitCode}`);
  return { text, lines };
}

describe('the reporter textfile', () => {
  it('after a clean run: every judged node as a state set over all statuses, and its DWH version', async () => {
    const setup = await statusFixture();
    const textfile = await withTextfile(setup);
    const { text, lines } = await reportWithTextfile(setup, textfile, 0);
    expect(lines).toContain(`broker_monitor_run_outcomes{${RUN},outcome="ok"} 9`);
    // Node 10 has no stats row yet, node 11 no folder: warnings, and no status.
    expect(lines).toContain(`broker_monitor_run_outcomes{${RUN},outcome="warning"} 2`);
    expect(lines).toContain(`broker_monitor_run_last_success_timestamp_seconds{${RUN}} 1749969000`);
    expect(lines).toContain('broker_monitor_node_status{node="2",name="[2] Offline",status="OFFLINE"} 1');
    expect(lines).toContain('broker_monitor_node_status{node="2",name="[2] Offline",status="ONLINE"} 0');
    expect(lines).toContain('broker_monitor_node_dwh_info{node="1",name="[1] Online",version="1.5.1"} 1');
    for (const [id, status] of Object.entries(EXPECTED_STATUS)) {
      const ofNode = lines.filter((line) => line.startsWith(`broker_monitor_node_status{node="${id}",`));
      expect(ofNode, `node ${id}`).toHaveLength(NODE_STATUS_TITLES.length);
      expect(
        ofNode.filter((line) => line.endsWith(' 1')),
        `node ${id}`,
      ).toEqual([expect.stringContaining(`status="${status}"`)]);
    }
    expect(text).not.toContain('node="10"');
    // The hostile name of node 9: quotes escaped, the rest verbatim.
    expect(text).toContain(
      'broker_monitor_node_dwh_info{node="9",name="<script>alert(\\"x\\")</script> & Klinik ]]> \'Ärzte\' <img src=http://evil.example/x.png>",version="1.5.1"} 1',
    );
    expect(await checkMetricsFiles(textfile.dir)).toEqual({});
  });

  it('after a run with a failed node: exit 1, the failed node counted and left out', async () => {
    const setup = await makeSetup({
      mapping: { '1': { COMMON_NAME: 'Eins' }, '2': { COMMON_NAME: 'Zwei' } },
    });
    const textfile = await withTextfile(setup);
    await writeNode(setup.working, { id: '1', rows: dayRows({ end: NOW, days: 5 }), versions: {} });
    await writeNode(setup.working, { id: '2', rawStats: 'not;a;stats;file\n1;2\n' });
    const { text, lines } = await reportWithTextfile(setup, textfile, 1);
    expect(lines).toContain(`broker_monitor_run_outcomes{${RUN},outcome="failed"} 1`);
    expect(lines).toContain(`broker_monitor_run_last_success_timestamp_seconds{${RUN}} 1749969000`);
    expect(text).toContain('broker_monitor_node_status{node="1",name="Eins",status="ONLINE"} 1');
    expect(text).not.toContain('node="2"');
    // Node 1 reports no DWH version: no info metric at all.
    expect(text).not.toContain('broker_monitor_node_dwh_info');
    expect(await checkMetricsFiles(textfile.dir)).toEqual({});
  });

  it('after a run that exits 3 (Confluence refuses the token): no node figures, the last success kept', async () => {
    const confluence = await startConfluenceEmulator({ flavour: 'datacenter' });
    emulators.push(confluence);
    const setup = await makeSetup({
      mapping: { '1': { COMMON_NAME: 'Eins' } },
      confluence: { url: confluence.url, token: 'not-the-token' },
    });
    const textfile = await withTextfile(setup);
    await writeNode(setup.working, { id: '1', rows: dayRows({ end: NOW, days: 5 }) });
    const earlier = new Date(NOW.getTime() - 86_400_000);
    expect((await runReporter(earlier, [setup.configPath, '--out', join(setup.dir, 'out')])).code).toBe(0);
    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(3);
    const text = await textfile.prom();
    const lines = text.split('\n');
    expect(lines).toContain(`broker_monitor_run_exit_code{${RUN}} 3`);
    expect(lines).toContain(`broker_monitor_run_end_timestamp_seconds{${RUN}} 1749969000`);
    expect(lines).toContain(`broker_monitor_run_last_success_timestamp_seconds{${RUN}} 1749882600`);
    expect(text).not.toContain('broker_monitor_node_');
    expect(await checkMetricsFiles(textfile.dir)).toEqual({});
  });

  it('writes nothing for --check', async () => {
    const setup = await makeSetup({ mapping: { '1': { COMMON_NAME: 'Eins' } } });
    const textfile = await withTextfile(setup);
    expect((await runReporter(NOW, [setup.configPath, '--check'])).code).toBe(0);
    await expect(textfile.prom()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
