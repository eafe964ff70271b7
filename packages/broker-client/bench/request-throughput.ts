/**
 * Throughput of the shared concurrency limit: 500 nodes × 5 requests (stats + 4 resources)
 * against the emulator at 20 ms latency, 16 in flight. Ideal is requests × latency ÷ concurrency;
 * the target is at most 1.1 × that. The emulator runs in a worker thread, as the broker runs in
 * its own process, so its work does not queue behind the client's on one event loop.
 * Each of the rounds also times plain `fetch` with the same limit against the same server, the
 * floor this machine allows at that moment (other load on the machine moves both alike).
 * Run: pnpm --filter @broker-monitor/broker-client bench   (env BENCH_LATENCY_MS, BENCH_ROUNDS)
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { createBrokerClient, NODE_RESOURCE_NAMES } from '@broker-monitor/broker-client';
import { startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { Agent } from 'undici';

const NODES = 500;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = 16;
const TARGET_RATIO = 1.1;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const KEY = 'bench-admin-key';

type Command = { type: 'measure' } | { type: 'report' } | { type: 'stop' };
type Reply = { url: string } | { requests: number; failed: number; peak: number } | { stopped: true };

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  const replies: Reply[] = [];
  const waiters: Array<(reply: Reply) => void> = [];
  worker.on('message', (reply: Reply) => {
    const waiter = waiters.shift();
    if (waiter) waiter(reply);
    else replies.push(reply);
  });
  const next = (): Promise<Reply> =>
    new Promise((resolve) => {
      const ready = replies.shift();
      if (ready) resolve(ready);
      else waiters.push(resolve);
    });
  const ask = (command: Command): Promise<Reply> => {
    worker.postMessage(command);
    return next();
  };

  const { url } = (await next()) as { url: string };
  const client = createBrokerClient({ url, apiKey: KEY, concurrency: CONCURRENCY });
  const nodes = await client.listNodes();
  // Open the connections first so the measurement is of steady-state work.
  await Promise.all(Array.from({ length: CONCURRENCY }, () => client.checkStatus()));
  const resourcesOf = (id: string): string[] => [
    `broker/node/${id}/stats`,
    ...NODE_RESOURCE_NAMES.map((n) => `broker/node/${id}/${n}`),
  ];

  const viaClient = async (): Promise<void> => {
    await Promise.all(
      nodes.map((node) =>
        Promise.all([
          client.getImportStatistics(node.id),
          ...NODE_RESOURCE_NAMES.map((name) => client.getResource(node.id, name)),
        ]),
      ),
    );
  };

  const agent = new Agent();
  const viaPlainFetch = async (): Promise<void> => {
    let running = 0;
    const waiting: Array<() => void> = [];
    const one = async (path: string): Promise<void> => {
      if (running < CONCURRENCY) running += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        const init = { headers: { authorization: `Bearer ${KEY}` }, dispatcher: agent };
        await (await fetch(`${url}/${path}`, init as RequestInit)).arrayBuffer();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    };
    await Promise.all(nodes.flatMap((node) => resourcesOf(node.id).map(one)));
  };

  const measure = async (
    run: () => Promise<void>,
  ): Promise<{ ratio: number; wallMs: number; requests: number; failed: number; peak: number }> => {
    await ask({ type: 'measure' });
    const started = performance.now();
    await run();
    const wallMs = performance.now() - started;
    const report = (await ask({ type: 'report' })) as { requests: number; failed: number; peak: number };
    return { ...report, wallMs, ratio: wallMs / ((report.requests * LATENCY_MS) / CONCURRENCY) };
  };

  console.log(`${nodes.length} nodes × 5 requests, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}`);
  console.log(
    `lower bound ${((nodes.length * 5 * LATENCY_MS) / CONCURRENCY).toFixed(0)} ms (requests × latency ÷ concurrency)\n`,
  );
  const ratios: number[] = [];
  let problems = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const floor = await measure(viaPlainFetch);
    const result = await measure(viaClient);
    ratios.push(result.ratio);
    if (result.failed > 0 || result.requests !== NODES * 5 || result.peak > CONCURRENCY) problems += 1;
    console.log(
      `round ${round}: broker-client ${result.wallMs.toFixed(0)} ms, ${result.requests} requests (${result.failed} not 200, peak ${result.peak} in flight), ratio ${result.ratio.toFixed(3)}` +
        ` | plain fetch ${floor.wallMs.toFixed(0)} ms, ratio ${floor.ratio.toFixed(3)}`,
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const best = sorted[0] ?? Number.POSITIVE_INFINITY;
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.POSITIVE_INFINITY;
  console.log(
    `\nbroker-client ratio: best ${best.toFixed(3)}, median ${median.toFixed(3)} (target ≤ ${TARGET_RATIO}: ${best <= TARGET_RATIO ? 'met' : 'MISSED'})`,
  );

  await agent.close();
  await client.close();
  await ask({ type: 'stop' });
  await worker.terminate();
  if (best > TARGET_RATIO || problems > 0) process.exitCode = 1;
} else {
  const port = parentPort;
  if (port === null) throw new Error('worker without parent port');
  const broker = await startBrokerEmulator({ adminKey: KEY, now: new Date('2025-03-10T06:00:00Z') });
  for (let id = 0; id < NODES; id++) {
    broker.addNode({ id, lastContact: new Date('2025-03-10T05:55:00Z') });
    broker.uploadStats(id, {
      start: '2025-03-01T08:00:00+01:00',
      lastWrite: '2025-03-10T06:00:00+01:00',
      imported: 1000 + id,
      updated: 10,
      invalid: 2,
      failed: 1,
      errors: [{ timestamp: '2025-03-09T11:00:00+01:00', repeats: 2, content: 'Validation failed' }],
    });
    broker.uploadProperties(id, 'versions', {
      os: 'Ubuntu 22.04',
      java: '11.0.22',
      'dwh-j2ee': 'dwh-j2ee-1.5.1',
    });
    broker.uploadProperties(id, 'rscript', { 'r-base-core': '4.1.2' });
    broker.uploadProperties(id, 'python', { python3: '3.10.12' });
    broker.uploadProperties(id, 'import-scripts', { p21: '1.5' });
  }
  port.on('message', async (command: Command) => {
    if (command.type === 'measure') {
      broker.setLatency(LATENCY_MS);
      broker.clearRequests();
      port.postMessage({ url: broker.url });
    } else if (command.type === 'report') {
      const requests = broker.requests();
      port.postMessage({
        requests: requests.length,
        failed: requests.filter((r) => r.status !== 200).length,
        peak: broker.concurrency().peak,
      });
    } else {
      await broker.close();
      port.postMessage({ stopped: true });
    }
  });
  port.postMessage({ url: broker.url });
}
