// The bench's measurements on a handful of nodes, to show that they count what they claim; the
// figures themselves come from `pnpm bench`, never from a test.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@broker-monitor/csv-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchCollector,
  benchReporterConfluence,
  benchReporterLocal,
  lastRunTime,
  makeReporterStore,
  type ReporterStore,
  statsCsvByYear,
} from '../dist/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bm-bench-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('benchCollector', () => {
  it('runs the collector twice and counts 5 requests per node, the second time as 304s', async () => {
    const runs = await benchCollector({ nodes: 3, latencyMs: 1, runs: 2, dir });
    expect(runs.map((r) => [r.run, r.exitCode, r.requests, r.requestsPerNode, r.notModifiedPerNode])).toEqual(
      [
        [1, 0, 3 * 5 + 2, 5, 0],
        [2, 0, 3 * 5 + 2, 5, 5],
      ],
    );
    for (const r of runs) {
      expect(r.concurrency).toBe(16);
      expect(r.lowerBoundMs).toBeCloseTo((17 * 1) / 16);
      expect(r.ratio).toBeCloseTo(r.wallMs / r.lowerBoundMs);
      // A Node process: tens of MB, not bytes or kilobytes.
      expect(r.peakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
    }
  });

  it('takes the median wall time and the largest RSS of repeated series', async () => {
    const runs = await benchCollector({ nodes: 2, latencyMs: 1, runs: 1, repeats: 3, dir });
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run?.repeats).toBe(3);
    expect(run?.wallMinMs).toBeLessThanOrEqual(run?.wallMs ?? 0);
    expect(run?.wallMs).toBeLessThanOrEqual(run?.wallMaxMs ?? 0);
    // Each repetition starts on an empty working directory: no 304s.
    expect(run?.notModifiedPerNode).toBe(0);
  });

  it('writes the concurrency it is given into the config', async () => {
    const [serial] = await benchCollector({ nodes: 2, concurrency: 1, latencyMs: 1, runs: 1, dir });
    expect(serial?.concurrency).toBe(1);
    expect(serial?.lowerBoundMs).toBeCloseTo(12);
  });
});

describe('the reporter', () => {
  let store: ReporterStore;
  beforeAll(async () => {
    store = await makeReporterStore(dir, 4, new Date());
  });

  it.each([
    ['datacenter', 1],
    ['cloud', 2],
  ] as const)(
    'publishes to Confluence (%s): every page created, then nothing, then every page again',
    async (flavour, perCreate) => {
      const runs = await benchReporterConfluence({ store, nodes: 3, dir, delayMs: 0, flavour });
      expect(runs.every((r) => r.flavour === flavour)).toBe(true);
      expect(runs.map((r) => [r.kind, r.exitCode])).toEqual([
        ['first', 0],
        ['unchanged', 0],
        ['all changed', 0],
      ]);
      const [first, unchanged, changed] = runs;
      // Creating a page is its POST (and on Cloud the PUT of its version message); a changed page is one PUT.
      expect(first?.requestsPerPage).toBeGreaterThanOrEqual(perCreate);
      expect(changed?.requests).toBeGreaterThanOrEqual((unchanged?.requests ?? 0) + 3);
      expect(unchanged?.requestsPerPage).toBeCloseTo((unchanged?.requests ?? 0) / 3);
    },
  );

  it('writes the local report', async () => {
    const local = await benchReporterLocal({ store, nodes: 4, dir });
    expect(local).toMatchObject({ kind: 'local report', exitCode: 0, requests: 0 });
    expect(local.peakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
  });
});

describe('statsCsvByYear', () => {
  it('writes every day up to the last 06:00 UTC run, readable by csv-store, split by year', async () => {
    const end = lastRunTime(new Date('2026-01-10T05:00:00Z'));
    expect(end.toISOString()).toBe('2026-01-09T06:00:00.000Z');
    const byYear = statsCsvByYear(7, end);
    expect([...byYear.keys()]).toEqual([2025, 2026]);
    const working = await mkdtemp(join(tmpdir(), 'bm-bench-fixture-'));
    await mkdir(join(working, '7'));
    for (const [year, text] of byYear) await writeFile(join(working, '7', `7_stats_${year}.csv`), text);
    const { thisYear, lastYear } = await openStore(working).readHistory('7', end);
    await rm(working, { recursive: true, force: true });
    expect(thisYear.map((row) => row.date.slice(0, 10))).toEqual(
      Array.from({ length: 9 }, (_, i) => `2026-01-0${i + 1}`),
    );
    expect(thisYear.length + lastYear.length).toBe(60);
    expect(lastYear.at(-1)?.date).toBe('2025-12-31 06:00:00+00:00');
  });
});
