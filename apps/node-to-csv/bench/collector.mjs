// node-to-csv benchmark: the real bin (whole process) against the broker emulator with added
// latency per request. Prints wall time, requests per node (304s apart), peak RSS and the ratio to
// the lower bound (requests × latency ÷ concurrency). Usage: pnpm --filter node-to-csv bench [nodes] [concurrency]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrokerEmulator } from '@broker-monitor/broker-emulator';

const nodes = Number(process.argv[2] ?? 500);
const concurrency = Number(process.argv[3] ?? 16);
const latencyMs = 20;
const bin = new URL('../dist/cli.js', import.meta.url).pathname;
const rssPreload = new URL('./report-rss.mjs', import.meta.url).href;
// Node flags from the bin's shebang, passed the way the installed bin shim passes them.
const binFlags = readFileSync(bin, 'utf8')
  .split('\n')[0]
  .replace(/^#!\/usr\/bin\/env (-S )?node ?/, '')
  .split(' ')
  .filter(Boolean);

const broker = await startBrokerEmulator({ adminKey: 'bench-key', now: new Date() });
for (let id = 1; id <= nodes; id++) {
  broker.addNode({ id, lastContact: new Date() });
  broker.uploadStats(id, {
    start: '2025-03-01T08:00:00+01:00',
    imported: id * 7,
    updated: id,
    invalid: id % 5,
    failed: id % 3,
  });
  broker.uploadProperties(id, 'versions', {
    java: '11.0.22',
    'dwh-j2ee': 'dwh-j2ee-1.5.1',
    os: 'Ubuntu 22.04',
  });
  broker.uploadProperties(id, 'rscript', { 'r-base': '4.1.2' });
  broker.uploadProperties(id, 'python', { python3: '3.10.12' });
  broker.uploadProperties(id, 'import-scripts', { p21: '1.5' });
}
broker.setNow(new Date(Date.now() + 1000));
broker.setLatency(latencyMs);

const dir = await mkdtemp(join(tmpdir(), 'bm-bench-'));
const config = join(dir, 'settings.toml');
await writeFile(
  config,
  `[BROKER]\nURL = "${broker.url}"\nAPI_KEY = "bench-key"\nCONCURRENCY = ${concurrency}\n[DIR]\nWORKING = "${dir}/work"\n`,
);

async function run(label) {
  broker.clearRequests();
  const rssFile = join(dir, `${label}.rss`);
  const started = performance.now();
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...binFlags, bin, config], {
      stdio: 'ignore',
      env: { ...process.env, NODE_OPTIONS: `--import=${rssPreload}`, BENCH_RSS_FILE: rssFile },
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  const wallMs = performance.now() - started;
  const requests = broker.requests();
  const nodeRequests = requests.filter((r) => r.path.startsWith('/broker/node/'));
  const notModified = nodeRequests.filter((r) => r.status === 304).length;
  const lowerBoundMs = (requests.length * latencyMs) / concurrency;
  const rss = Number(await readFile(rssFile, 'utf8'));
  return {
    run: label,
    exit: code,
    nodes,
    concurrency,
    'wall s': (wallMs / 1000).toFixed(2),
    'requests/node': (nodeRequests.length / nodes).toFixed(2),
    '304/node': (notModified / nodes).toFixed(2),
    'lower bound s': (lowerBoundMs / 1000).toFixed(2),
    ratio: (wallMs / lowerBoundMs).toFixed(2),
    'peak RSS MB': (rss / 1024 / 1024).toFixed(0),
  };
}

const results = [await run('first'), await run('second')];
console.table(results);
await broker.close();
