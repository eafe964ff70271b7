// Benchmark: one collector run's store work for 500 nodes whose files hold a full year
// (365 stats rows, ~380 error rows, four snapshots with change logs), 16 nodes at a time.
// The files are prepared first; the measured run happens in a fresh process, whose peak RSS
// is reported. Usage: pnpm --filter @broker-monitor/csv-store bench [nodes]
// BENCH_SYNC=0: without the folder fsync; BENCH_NODE_FLAGS: node flags of the measured process,
// e.g. "--max-semi-space-size=4 --max-old-space-size=64" (V8 otherwise keeps garbage around).
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNodeCollection } from '../dist/collection.js';

const CONCURRENCY = 16;
const DAY = 86_400_000;
const start = Date.parse('2025-01-01T06:00:00Z');

const collection = (nodeId, day) => ({
  nodeId,
  lastContact: new Date(start + day * DAY - 60_000).toISOString(),
  stats: {
    start: '2024-12-01T08:00:00+01:00',
    lastWrite: new Date(start + day * DAY - 3_600_000).toISOString(),
    imported: 1000 * day,
    updated: 50 * day,
    invalid: day,
    failed: day % 3,
    // the DWH's last 20 errors: one new error a day, the newest ones repeating
    errors: Array.from({ length: 20 }, (_, i) => ({
      timestamp: new Date(start + (day - i) * DAY).toISOString(),
      repeats: String(i < 3 ? day : 1),
      content: `cvc-complex-type.2.4.a: Invalid content "encounter-${day - i}"; expected one of {"diag", "proc"}`,
    })),
  },
  resources: {
    versions: [
      ['os', 'Ubuntu 22.04'],
      ['java', `11.0.${day % 30}`],
      ['dwh-j2ee', 'dwh-j2ee-1.6'],
    ],
    rscript: [
      ['r-base-core', '4.1.2'],
      ['r-cran-tidyverse', '1.3.1'],
    ],
    python: [['python3', '3.10.12']],
    'import-scripts': [
      ['p21', '1.5'],
      ['p301', `1.${day % 2}`],
    ],
  },
});

async function runDay(dir, day, nodes, sync) {
  const ids = Array.from({ length: nodes }, (_, i) => String(i + 1));
  const now = new Date(start + day * DAY);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        await writeNodeCollection(dir, collection(id, day), { now: () => now, sync });
      }
    }),
  );
}

if (process.argv[2] === '--measure') {
  const [, , , dir, nodes] = process.argv;
  const t0 = performance.now();
  let heapUsed = 0;
  const timer = setInterval(() => {
    heapUsed = Math.max(heapUsed, process.memoryUsage().heapUsed);
  }, 2);
  await runDay(dir, 364, Number(nodes), process.env.BENCH_SYNC !== '0');
  clearInterval(timer);
  process.send({ wall: performance.now() - t0, maxRssKb: process.resourceUsage().maxRSS, heapUsed });
} else {
  const nodes = Number(process.argv[2] ?? 500);
  const dir = await mkdtemp(join(tmpdir(), 'csv-store-bench-'));
  try {
    // a year of one node's files, copied to every other node
    for (let day = 0; day < 364; day++) await runDay(dir, day, 1, false);
    const names = await readdir(join(dir, '1'));
    for (let id = 2; id <= nodes; id++) {
      await mkdir(join(dir, String(id)));
      for (const name of names) {
        await writeFile(
          join(dir, String(id), name.replace(/^1_/, `${id}_`)),
          await readFile(join(dir, '1', name)),
        );
      }
    }
    const child = fork(new URL(import.meta.url), ['--measure', dir, String(nodes)], {
      execArgv: (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    });
    const { wall, maxRssKb, heapUsed } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
    });
    const sync = process.env.BENCH_SYNC === '0' ? 'no fsync' : 'fsync per node';
    console.log(
      `one run: ${nodes} nodes in ${wall.toFixed(0)} ms (${(wall / nodes).toFixed(2)} ms per node, ` +
        `concurrency ${CONCURRENCY}, ${sync}), peak RSS of that process ${(maxRssKb / 1024).toFixed(0)} MB, ` +
        `peak heap used ${(heapUsed / 2 ** 20).toFixed(0)} MB`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
