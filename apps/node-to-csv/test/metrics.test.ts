import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkMetricsFiles, runAppCaptured } from '@broker-monitor/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.js';
import { DAY1, DAY2, START, startWorkspace, uploadDay, type Workspace } from './harness.js';

/** A COMMON_NAME with everything the exposition format must escape. */
const AWKWARD_NAME = 'Klinik "Süd"\\Nord\nHaus 2';

let workspace: Workspace | undefined;
afterEach(async () => {
  await workspace?.broker.close();
  workspace = undefined;
});

/** Two nodes named by the mapping, a textfile folder, and the collector's file in it. */
async function metricsWorkspace(): Promise<Workspace & { textfileDir: string; prom: () => Promise<string> }> {
  const ws = await startWorkspace();
  const textfileDir = join(ws.dir, 'textfile');
  await mkdir(textfileDir);
  await writeFile(
    join(ws.dir, 'mapping.json'),
    JSON.stringify({ '1': { COMMON_NAME: 'Klinikum Eins' }, '2': { COMMON_NAME: AWKWARD_NAME } }),
  );
  await writeFile(
    ws.config,
    `${await readFile(ws.config, 'utf8')}[CONFLUENCE]\nMAPPING_JSON = "${ws.dir}/mapping.json"\n[METRICS]\nTEXTFILE_DIR = "${textfileDir}"\n`,
  );
  for (const id of [1, 2]) ws.broker.addNode({ id });
  workspace = ws;
  const prom = () => readFile(join(textfileDir, 'broker_monitor_node-to-csv.prom'), 'utf8');
  return { ...ws, textfileDir, prom };
}

const NAME_1 = 'node="1",name="Klinikum Eins"';
const NAME_2 = 'node="2",name="Klinik \\"Süd\\"\\\\Nord\\nHaus 2"';

describe('the collector textfile', () => {
  it('after a clean run: run figures and every node figure, names escaped', async () => {
    const ws = await metricsWorkspace();
    for (const id of [1, 2]) uploadDay(ws.broker, id, { start: START, imported: 100, contact: DAY1 });
    expect((await ws.run(DAY1)).code).toBe(0);
    for (const id of [1, 2])
      uploadDay(ws.broker, id, { start: START, imported: 150, failed: 5, contact: DAY2 });
    expect((await ws.run(DAY2)).code).toBe(0);

    const text = await ws.prom();
    const lines = text.split('\n');
    for (const line of [
      'broker_monitor_run_start_timestamp_seconds{app="node-to-csv"} 1741672800',
      'broker_monitor_run_end_timestamp_seconds{app="node-to-csv"} 1741672800',
      'broker_monitor_run_last_success_timestamp_seconds{app="node-to-csv"} 1741672800',
      'broker_monitor_run_exit_code{app="node-to-csv"} 0',
      'broker_monitor_run_outcomes{app="node-to-csv",outcome="ok"} 2',
      'broker_monitor_run_outcomes{app="node-to-csv",outcome="failed"} 0',
      `broker_monitor_node_last_contact_timestamp_seconds{${NAME_1}} 1741672800`,
      `broker_monitor_node_last_contact_timestamp_seconds{${NAME_2}} 1741672800`,
      // uploadDay writes one hour before the contact; the DWH start is 08:00 Berlin (+01:00).
      `broker_monitor_node_last_write_timestamp_seconds{${NAME_1}} 1741669200`,
      `broker_monitor_node_dwh_start_timestamp_seconds{${NAME_1}} 1740812400`,
      `broker_monitor_node_daily_records{${NAME_1},result="imported"} 50`,
      `broker_monitor_node_daily_records{${NAME_1},result="updated"} 0`,
      `broker_monitor_node_daily_records{${NAME_1},result="invalid"} 0`,
      `broker_monitor_node_daily_records{${NAME_1},result="failed"} 5`,
      `broker_monitor_node_daily_error_ratio{${NAME_2}} 0.0909`,
      `broker_monitor_node_broker_answers{${NAME_1},answer="fresh"} 5`,
      `broker_monitor_node_broker_answers{${NAME_1},answer="not_modified"} 0`,
    ]) {
      expect(lines).toContain(line);
    }
    expect(text).toMatch(/^broker_monitor_run_duration_seconds\{app="node-to-csv"\} \d+(\.\d+)?(e-\d+)?$/m);
    expect(text).toContain('# TYPE broker_monitor_node_daily_error_ratio gauge\n');
    expect(await checkMetricsFiles(ws.textfileDir)).toEqual({});
  });

  it('counts 304 answers, and leaves out the day figures a first run cannot know', async () => {
    const ws = await metricsWorkspace();
    for (const id of [1, 2]) uploadDay(ws.broker, id, { start: START, imported: 100, contact: DAY1 });
    await ws.run(DAY1);
    expect((await ws.prom()).includes('broker_monitor_node_daily_records')).toBe(false);
    ws.broker.node(1).lastContact = DAY2;
    expect((await ws.run(DAY2)).code).toBe(0);
    const lines = (await ws.prom()).split('\n');
    expect(lines).toContain(`broker_monitor_node_broker_answers{${NAME_1},answer="not_modified"} 5`);
    expect(lines).toContain(`broker_monitor_node_daily_records{${NAME_1},result="imported"} 0`);
    expect(await checkMetricsFiles(ws.textfileDir)).toEqual({});
  });

  it('after a run with failed nodes: exit 1 counts as success, the failed node keeps its last contact only', async () => {
    const ws = await metricsWorkspace();
    for (const id of [1, 2]) uploadDay(ws.broker, id, { start: START, imported: 100, contact: DAY1 });
    ws.broker.addFault({ nodeId: 2, resource: 'versions' }, { kind: 'status', status: 500 });
    expect((await ws.run(DAY1)).code).toBe(1);
    const text = await ws.prom();
    const lines = text.split('\n');
    expect(lines).toContain('broker_monitor_run_exit_code{app="node-to-csv"} 1');
    expect(lines).toContain(
      'broker_monitor_run_last_success_timestamp_seconds{app="node-to-csv"} 1741586400',
    );
    expect(lines).toContain('broker_monitor_run_outcomes{app="node-to-csv",outcome="failed"} 1');
    expect(lines).toContain('broker_monitor_run_outcomes{app="node-to-csv",outcome="ok"} 1');
    expect(lines).toContain(`broker_monitor_node_last_contact_timestamp_seconds{${NAME_2}} 1741586400`);
    expect(text).not.toContain(`broker_monitor_node_dwh_start_timestamp_seconds{${NAME_2}}`);
    expect(text).not.toContain(`broker_monitor_node_broker_answers{${NAME_2}`);
    expect(await checkMetricsFiles(ws.textfileDir)).toEqual({});
  });

  it('after a run that exits 3: the exit code, and the last success of the run before', async () => {
    const ws = await metricsWorkspace();
    for (const id of [1, 2]) uploadDay(ws.broker, id, { start: START, imported: 100, contact: DAY1 });
    expect((await ws.run(DAY1)).code).toBe(0);
    await ws.broker.close();
    workspace = undefined;
    expect((await ws.run(DAY2)).code).toBe(3);
    const text = await ws.prom();
    const lines = text.split('\n');
    expect(lines).toContain('broker_monitor_run_exit_code{app="node-to-csv"} 3');
    expect(lines).toContain('broker_monitor_run_end_timestamp_seconds{app="node-to-csv"} 1741672800');
    expect(lines).toContain(
      'broker_monitor_run_last_success_timestamp_seconds{app="node-to-csv"} 1741586400',
    );
    expect(lines).toContain('broker_monitor_run_outcomes{app="node-to-csv",outcome="ok"} 0');
    expect(text).not.toContain('broker_monitor_node_');
    expect(await checkMetricsFiles(ws.textfileDir)).toEqual({});
  });

  it('after a config error (exit 2), as long as the file names TEXTFILE_DIR', async () => {
    const ws = await metricsWorkspace();
    const broken = join(ws.dir, 'broken.toml');
    await writeFile(broken, `[BROKER]\nURL = 5\n[METRICS]\nTEXTFILE_DIR = "${ws.textfileDir}"\n`);
    ws.broker.setNow(DAY1);
    const run = await runAppCaptured(createApp({ now: () => DAY1 }), [broken]);
    expect(run.code).toBe(2);
    const lines = (await ws.prom()).split('\n');
    expect(lines).toContain('broker_monitor_run_exit_code{app="node-to-csv"} 2');
    expect((await ws.prom()).includes('broker_monitor_run_last_success_timestamp_seconds')).toBe(false);
    expect(await checkMetricsFiles(ws.textfileDir)).toEqual({});
  });

  it('warns naming METRICS.TEXTFILE_DIR when the folder is missing or a file, and the run still succeeds', async () => {
    const ws = await metricsWorkspace();
    for (const id of [1, 2]) uploadDay(ws.broker, id, { start: START, imported: 100, contact: DAY1 });
    const configText = await readFile(ws.config, 'utf8');
    const missing = join(ws.dir, 'no-such-folder');
    await writeFile(ws.config, configText.replace(ws.textfileDir, missing));
    const run = await ws.run(DAY1);
    expect(run.code).toBe(0);
    expect(run.lines.find((line) => line.key === 'METRICS.TEXTFILE_DIR')).toMatchObject({
      level: 40,
      msg: `metrics not written: METRICS.TEXTFILE_DIR ${missing} does not exist`,
    });
    const file = join(ws.dir, 'mapping.json');
    await writeFile(ws.config, configText.replace(ws.textfileDir, file));
    const second = await ws.run(DAY2);
    expect(second.code).toBe(0);
    expect(second.lines.find((line) => line.key === 'METRICS.TEXTFILE_DIR')?.msg).toBe(
      `metrics not written: METRICS.TEXTFILE_DIR ${file} is not a folder`,
    );
  });

  it('writes nothing for --check, and the node id alone without a mapping', async () => {
    const ws = await metricsWorkspace();
    uploadDay(ws.broker, 1, { start: START, imported: 100, contact: DAY1 });
    expect((await ws.run(DAY1, ['--check'])).code).toBe(0);
    await expect(ws.prom()).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(join(ws.dir, 'mapping.json'), 'not json');
    const run = await ws.run(DAY1);
    expect(run.lines.find((line) => String(line.msg).startsWith('metrics without node names'))).toBeDefined();
    expect((await ws.prom()).split('\n')).toContain(
      'broker_monitor_node_last_contact_timestamp_seconds{node="1"} 1741586400',
    );
  });
});
