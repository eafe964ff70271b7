import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addToTotals,
  counter,
  gauge,
  info,
  MetricNameError,
  metricsFileName,
  parseExposition,
  RUN_METRICS,
  readMetricsFile,
  renderExposition,
  runMetricFamilies,
  stateSet,
  timestampSeconds,
  writeMetricsFile,
} from '../src/index.js';
import { promtoolCheckMetrics } from './promtool.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'bm-metrics-'));

describe('renderExposition', () => {
  it('writes HELP and TYPE lines before the samples and leaves out empty families', () => {
    const text = renderExposition([
      gauge('broker_monitor_node_last_contact_timestamp_seconds', 'Last contact.', [
        { labels: { node: '3', name: 'Klinikum' }, value: 1741586400.5 },
        { labels: { node: '4' }, value: undefined },
      ]),
      counter('broker_monitor_email_mails_sent_total', 'Mails sent.', []),
      gauge('broker_monitor_run_exit_code', 'Exit code.', [{ value: 0 }]),
    ]);
    expect(text).toBe(
      [
        '# HELP broker_monitor_node_last_contact_timestamp_seconds Last contact.',
        '# TYPE broker_monitor_node_last_contact_timestamp_seconds gauge',
        'broker_monitor_node_last_contact_timestamp_seconds{node="3",name="Klinikum"} 1741586400.5',
        '# HELP broker_monitor_run_exit_code Exit code.',
        '# TYPE broker_monitor_run_exit_code gauge',
        'broker_monitor_run_exit_code 0',
        '',
      ].join('\n'),
    );
    expect(promtoolCheckMetrics(text)).toBe('');
  });

  it('escapes backslashes, double quotes and line breaks in label values, and HELP text', () => {
    const name = 'Klinik "Süd"\\Nord\nHaus 2';
    const text = renderExposition([
      gauge('broker_monitor_test', 'Help with \\ and\na line break.', [{ labels: { name }, value: 1 }]),
    ]);
    expect(text).toContain('# HELP broker_monitor_test Help with \\\\ and\\na line break.\n');
    expect(text).toContain('broker_monitor_test{name="Klinik \\"Süd\\"\\\\Nord\\nHaus 2"} 1\n');
    expect(promtoolCheckMetrics(text)).toBe('');
    expect(parseExposition(text)).toEqual([{ name: 'broker_monitor_test', labels: { name }, value: 1 }]);
  });

  it('writes NaN and infinities as the format spells them', () => {
    const text = renderExposition([
      gauge('broker_monitor_test', 'x', [
        { labels: { v: 'a' }, value: Number.NaN },
        { labels: { v: 'b' }, value: Number.POSITIVE_INFINITY },
        { labels: { v: 'c' }, value: Number.NEGATIVE_INFINITY },
      ]),
    ]);
    expect(text.split('\n').slice(2, 5)).toEqual([
      'broker_monitor_test{v="a"} NaN',
      'broker_monitor_test{v="b"} +Inf',
      'broker_monitor_test{v="c"} -Inf',
    ]);
    expect(parseExposition(text).map((sample) => sample.value)).toEqual([Number.NaN, Infinity, -Infinity]);
  });

  it('refuses names the format or the conventions do not allow', () => {
    const one = [{ value: 1 }];
    expect(() => renderExposition([gauge('broker-monitor', 'x', one)])).toThrow(MetricNameError);
    expect(() => renderExposition([counter('broker_monitor_mails', 'x', one)])).toThrow(/must end in _total/);
    expect(() => renderExposition([gauge('a', 'x', one), gauge('a', 'y', one)])).toThrow(/twice/);
    expect(() => renderExposition([gauge('a', 'x', [{ labels: { 'no-de': '1' }, value: 1 }])])).toThrow(
      /label name/,
    );
    expect(() => info('broker_monitor_dwh', 'x', [])).toThrow(/must end in _info/);
  });
});

describe('family builders', () => {
  it('writes a state set with every state per subject, 1 for the current one', () => {
    const family = stateSet(
      'broker_monitor_node_status',
      'Status.',
      'status',
      ['ONLINE', 'OFFLINE'],
      [{ labels: { node: '3' }, state: 'OFFLINE' }],
    );
    expect(family.samples).toEqual([
      { labels: { node: '3', status: 'ONLINE' }, value: 0 },
      { labels: { node: '3', status: 'OFFLINE' }, value: 1 },
    ]);
  });

  it('writes an info metric as value 1 with the labels', () => {
    const family = info('broker_monitor_node_dwh_info', 'DWH.', [{ node: '3', version: '1.5.1' }]);
    expect(family).toMatchObject({
      type: 'gauge',
      samples: [{ labels: { node: '3', version: '1.5.1' }, value: 1 }],
    });
  });

  it('adds a run to the running totals, keeping label sets the run did not see', () => {
    expect(
      addToTotals(
        [
          { labels: { node: '1', kind: 'OFFLINE' }, value: 2 },
          { labels: { node: '2', kind: 'OFFLINE' }, value: 1 },
        ],
        [
          { labels: { kind: 'OFFLINE', node: '1' }, value: 1 },
          { labels: { node: '3', kind: 'NO IMPORTS' }, value: 1 },
        ],
      ),
    ).toEqual([
      { labels: { kind: 'OFFLINE', node: '1' }, value: 3 },
      { labels: { node: '2', kind: 'OFFLINE' }, value: 1 },
      { labels: { node: '3', kind: 'NO IMPORTS' }, value: 1 },
    ]);
  });

  it('gives Unix timestamps in seconds with the milliseconds as fraction', () => {
    expect(timestampSeconds(new Date('2025-03-10T06:00:00.250Z'))).toBe(1741586400.25);
  });
});

describe('the textfile', () => {
  const run = {
    app: 'node-to-csv',
    start: new Date('2025-03-10T06:00:00Z'),
    end: new Date('2025-03-10T06:01:30Z'),
    durationSeconds: 90.25,
    outcomes: { ok: 2, warning: 1, failed: 0 },
  };
  const lastSuccess = async (dir: string) =>
    (await readMetricsFile(dir, 'node-to-csv')).of(RUN_METRICS.lastSuccess)[0]?.value;

  it('is replaced atomically and read back; the last success carries over a run that did nothing', async () => {
    const dir = await tempDir();
    expect(metricsFileName('node-to-csv')).toBe('broker_monitor_node-to-csv.prom');
    const none = await readMetricsFile(dir, 'node-to-csv');
    const first = await writeMetricsFile(
      dir,
      'node-to-csv',
      runMetricFamilies({ ...run, exitCode: 3, succeeded: false }, none),
    );
    expect(first).toBe(join(dir, 'broker_monitor_node-to-csv.prom'));
    expect(await lastSuccess(dir)).toBeUndefined();
    expect(promtoolCheckMetrics(await readFile(first, 'utf8'))).toBe('');

    const previous = await readMetricsFile(dir, 'node-to-csv');
    await writeMetricsFile(
      dir,
      'node-to-csv',
      runMetricFamilies({ ...run, exitCode: 1, succeeded: true }, previous),
    );
    expect(await lastSuccess(dir)).toBe(1741586490);

    const later = { start: new Date('2025-03-11T06:00:00Z'), end: new Date('2025-03-11T06:00:01Z') };
    await writeMetricsFile(
      dir,
      'node-to-csv',
      runMetricFamilies(
        { ...run, ...later, exitCode: 2, succeeded: false },
        await readMetricsFile(dir, 'node-to-csv'),
      ),
    );
    const text = await readFile(first, 'utf8');
    expect(text).toContain(
      'broker_monitor_run_last_success_timestamp_seconds{app="node-to-csv"} 1741586490\n',
    );
    expect(text).toContain('broker_monitor_run_end_timestamp_seconds{app="node-to-csv"} 1741672801\n');
    expect(text).toContain('broker_monitor_run_exit_code{app="node-to-csv"} 2\n');
    expect(text).toContain('broker_monitor_run_duration_seconds{app="node-to-csv"} 90.25\n');
    expect(text).toContain('broker_monitor_run_outcomes{app="node-to-csv",outcome="warning"} 1\n');
    expect(promtoolCheckMetrics(text)).toBe('');
    // Only the textfile itself is left: the temporary file was renamed.
    expect(await readdir(dir)).toEqual(['broker_monitor_node-to-csv.prom']);
  });

  it('reads a file it cannot parse as one without samples', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, metricsFileName('email-service')), 'broker_monitor_x{node="1 2\nbroken\n');
    expect((await readMetricsFile(dir, 'email-service')).of('broker_monitor_x')).toEqual([]);
  });

  it('fails with the file system error when the folder is missing or not a folder', async () => {
    const dir = await tempDir();
    await expect(writeMetricsFile(join(dir, 'missing'), 'x', [])).rejects.toMatchObject({ code: 'ENOENT' });
    // A file where the folder should be (as root, the tests cannot take a folder's write permission away).
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    await expect(writeMetricsFile(file, 'x', [])).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
