import { describe, expect, it } from 'vitest';
import {
  type BenchResults,
  type CollectorRun,
  checkTargets,
  mountOf,
  type ReporterRun,
  resultsMarkdown,
  speedUps,
} from '../dist/index.js';

const MB = 1024 * 1024;

function collector(nodes: number, run: number, values: Partial<CollectorRun> = {}): CollectorRun {
  return {
    nodes,
    concurrency: 16,
    run,
    exitCode: 0,
    wallMs: 4000,
    requests: nodes * 5 + 2,
    requestsPerNode: 5,
    notModifiedPerNode: run === 1 ? 0 : 5,
    lowerBoundMs: 3500,
    ratio: 4000 / 3500,
    peakRssBytes: 120 * MB,
    cpuMs: nodes * 2,
    cpuMsPerNode: 2,
    startedAs: 'shebang',
    repeats: 1,
    wallMinMs: values.wallMs ?? 4000,
    wallMaxMs: values.wallMs ?? 4000,
    ...values,
  };
}

function reporter(nodes: number, kind: ReporterRun['kind'], values: Partial<ReporterRun> = {}): ReporterRun {
  return {
    nodes,
    kind,
    exitCode: 0,
    wallMs: 3000,
    requests: 10,
    requestsPerPage: 0.05,
    lowerBoundMs: 25,
    peakRssBytes: 140 * MB,
    ...values,
  };
}

function results(values: Partial<BenchResults> = {}): BenchResults {
  return {
    collector: [collector(500, 1), collector(500, 2), collector(2000, 1), collector(2000, 2)],
    serial: [collector(500, 1, { concurrency: 1, wallMs: 52_000, ratio: 1.04 })],
    reporter: [
      reporter(2000, 'first', { requestsPerPage: 2 }),
      reporter(2000, 'unchanged'),
      reporter(2000, 'all changed', { requestsPerPage: 1.02 }),
      reporter(2000, 'local report', { requests: 0, requestsPerPage: 0 }),
    ],
    latencyMs: 20,
    confluenceDelayMs: 20,
    ...values,
  };
}

const verdicts = (r: BenchResults) => Object.fromEntries(checkTargets(r).map((c) => [c.target, c.met]));

describe('mountOf', () => {
  const mounts = [
    '/dev/vda / ext4 rw,relatime 0 0',
    'tmpfs /dev/shm tmpfs rw 0 0',
    'tmpfs /tmpfoo tmpfs rw 0 0',
  ].join('\n');

  it('picks the longest mount point that holds the path', () => {
    expect(mountOf(mounts, '/dev/shm/bench')?.type).toBe('tmpfs');
    expect(mountOf(mounts, '/tmp/bench')).toEqual({ device: '/dev/vda', point: '/', type: 'ext4' });
    expect(mountOf(mounts, '/tmpfoo')?.point).toBe('/tmpfoo');
  });
});

describe('checkTargets', () => {
  it('misses the CPU per node at 500 and more nodes only, started either way', () => {
    const slow = (nodes: number) => collector(nodes, 1, { cpuMsPerNode: 3.5 });
    const cpuTarget = 'collector ≤ 3 ms CPU per node at 500 and 2000 nodes';
    expect(
      verdicts(results({ collector: [collector(50, 1, { cpuMsPerNode: 9 }), ...results().collector] }))[
        cpuTarget
      ],
    ).toBe(true);
    expect(verdicts(results({ collector: [slow(500), collector(2000, 1)] }))[cpuTarget]).toBe(false);
    expect(verdicts(results({ plainStart: [{ ...slow(2000), startedAs: 'node' }] }))[cpuTarget]).toBe(false);
  });

  it('meets every target with figures inside them', () => {
    expect(Object.values(verdicts(results())).every(Boolean)).toBe(true);
    expect(checkTargets(results())).toHaveLength(10);
  });

  it('misses the ratio at 500 and more nodes only', () => {
    const slowSmall = results({ collector: [collector(50, 1, { ratio: 2.1 }), collector(500, 1)] });
    expect(Object.values(verdicts(slowSmall)).every(Boolean)).toBe(true);
    const slowLarge = results({ collector: [collector(500, 1), collector(2000, 2, { ratio: 1.21 })] });
    const missed = checkTargets(slowLarge).filter((c) => !c.met);
    expect(missed.map((c) => c.measured)).toEqual(['worst 1.21']);
  });

  it('misses the peak RSS of either app at the largest size', () => {
    const heavy = results({
      reporter: [reporter(2000, 'unchanged', { peakRssBytes: 151 * MB }), reporter(500, 'first')],
      collector: [
        collector(500, 1, { peakRssBytes: 400 * MB }),
        collector(2000, 1, { peakRssBytes: 149 * MB }),
      ],
    });
    const missed = checkTargets(heavy).filter((c) => !c.met);
    expect(missed.map((c) => c.target)).toEqual([
      'reporter peak RSS < 150 MB at 2000 nodes, Confluence runs',
    ]);
  });

  it('counts requests per page from 100 nodes on', () => {
    const few = results({ reporter: [reporter(50, 'unchanged', { requestsPerPage: 0.8 })] });
    expect(checkTargets(few).some((c) => c.target.includes('requests per page'))).toBe(false);
    const many = results({ reporter: [reporter(500, 'all changed', { requestsPerPage: 1.3 })] });
    expect(checkTargets(many).find((c) => c.target.includes('every page changed'))?.met).toBe(false);
  });

  it('holds Cloud to its own budgets: 1.3 when every page changed, 2.2 on the first run', () => {
    const cloud = (first: number, changed: number) =>
      results({
        reporter: [
          reporter(2000, 'first', { flavour: 'cloud', requestsPerPage: first }),
          reporter(2000, 'unchanged', { flavour: 'cloud' }),
          reporter(2000, 'all changed', { flavour: 'cloud', requestsPerPage: changed }),
        ],
      });
    const onCloud = (r: BenchResults) => checkTargets(r).filter((c) => c.target.includes('on Cloud'));
    expect(onCloud(cloud(2.09, 1.3)).map((c) => c.met)).toEqual([true, true, true]);
    expect(
      onCloud(cloud(2.3, 1.31))
        .filter((c) => !c.met)
        .map((c) => c.target),
    ).toEqual([
      'reporter on Cloud ≤ 2.2 requests per page on the first run (100 nodes or more)',
      'reporter on Cloud ≤ 1.3 requests per page when every page changed (100 nodes or more)',
    ]);
  });
});

describe('resultsMarkdown', () => {
  it('writes the tables, the speed-up and the command', () => {
    const r = results();
    const markdown = resultsMarkdown(r, {
      command: 'pnpm bench',
      environment: ['2 × test CPU'],
      date: new Date('2026-01-02T03:04:00Z'),
    });
    expect(markdown).toContain('Written by `pnpm bench` on 2026-01-02 03:04 UTC');
    expect(markdown).toContain('- 2 × test CPU');
    const row = (text: string) => text.replace(/ +\|/g, ' |');
    expect(row(markdown)).toContain(
      '| 2000 | 16 | second (304s) | 4.00 | 5.00 | 5.00 | 3.50 | 1.14 | 2.00 | 120 |',
    );
    const repeated = resultsMarkdown(
      results({ collector: [collector(500, 1, { repeats: 3, wallMinMs: 3900, wallMaxMs: 4400 })] }),
      { command: 'pnpm bench', environment: [], date: new Date() },
    );
    expect(row(repeated)).toContain('| 500 | 16 | first | 4.00 (3.90–4.40) | 5.00 |');
    expect(row(markdown)).toContain('| 500 | 52.00 | 4.00 | 13.0 × |');
    expect(row(markdown)).toContain('| 2000 | – | local report | 3.00 | – | – | – | 140 |');
    // Columns padded to one width, as Biome formats Markdown tables.
    const lines = markdown.split('\n').filter((line) => line.startsWith('| nodes | concurrency'));
    expect(lines).toHaveLength(1);
    const header = lines[0] ?? '';
    const body = markdown.split('\n').filter((line) => line.startsWith('| 2000 | 16 '));
    for (const line of body) expect(line.length).toBe(header.length);
    expect(speedUps(r)).toEqual([{ nodes: 500, serialMs: 52_000, concurrentMs: 4000 }]);
  });
});
