/*
 * An emulator in a worker thread: its CPU work runs beside the measured process instead of
 * queueing behind the bench's own event loop, as a real broker or Confluence runs elsewhere.
 * Answers the host's requests (see emulator-host.ts) by message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import type { EmulatorRequest, EmulatorSetup, RequestRecord, WorkerMessage } from './emulator-host.js';
import {
  BENCH_ADMIN_KEY,
  BENCH_CLOUD_EMAIL,
  BENCH_CONFLUENCE_TOKEN,
  seedBroker,
  seedConfluence,
} from './fixtures.js';

interface Running {
  url: string;
  clearRequests(): void;
  requests(): RequestRecord[];
  close(): Promise<void>;
}

async function start(setup: EmulatorSetup): Promise<Running> {
  if (setup.kind === 'broker') {
    const now = new Date(setup.nowMs);
    const broker = await startBrokerEmulator({ adminKey: BENCH_ADMIN_KEY, now });
    seedBroker(broker, setup.nodes, now);
    broker.setLatency(setup.latencyMs);
    return {
      url: broker.url,
      clearRequests: () => broker.clearRequests(),
      requests: () => broker.requests().map(({ method, path, status }) => ({ method, path, status })),
      close: () => broker.close(),
    };
  }
  const confluence = await startConfluenceEmulator({
    flavour: setup.flavour,
    token: BENCH_CONFLUENCE_TOKEN,
    email: BENCH_CLOUD_EMAIL,
    maxPageSize: 50,
  });
  seedConfluence(confluence, setup.contacts);
  // Every request waits this long before it is served, like a server across the network.
  confluence.addFault({ delayMs: setup.delayMs });
  return {
    url: confluence.url,
    clearRequests: () => confluence.clearRequests(),
    requests: () => confluence.requests.map(({ method, path, status }) => ({ method, path, status })),
    close: () => confluence.close(),
  };
}

const port = parentPort;
if (port === null) throw new Error('emulator-worker.js runs only as a worker thread');
const running = await start(workerData as EmulatorSetup);
port.postMessage({ ready: true, url: running.url } satisfies WorkerMessage);
port.on('message', async (request: EmulatorRequest) => {
  try {
    let value: RequestRecord[] | undefined;
    if (request.op === 'clearRequests') running.clearRequests();
    else if (request.op === 'requests') value = running.requests();
    else await running.close();
    port.postMessage({ id: request.id, value } satisfies WorkerMessage);
  } catch (error) {
    port.postMessage({ id: request.id, error: String(error) } satisfies WorkerMessage);
  }
});
