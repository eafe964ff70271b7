import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { type BrokerEmulator, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BrokerClient,
  type BrokerClientOptions,
  BrokerHttpError,
  BrokerNetworkError,
  BrokerResponseError,
  BrokerTimeoutError,
  createBrokerClient,
} from '../src/index.js';

const KEY = 'Sup3r-Secret-Admin-Key-0815';
const logLines: string[] = [];
const logger = {
  debug: (details: Record<string, unknown>, message: string) =>
    logLines.push(`${message} ${JSON.stringify(details)}`),
  warn: (details: Record<string, unknown>, message: string) =>
    logLines.push(`${message} ${JSON.stringify(details)}`),
};

let broker: BrokerEmulator;
let client: BrokerClient;
const clients: BrokerClient[] = [];

function makeClient(options: Partial<BrokerClientOptions> = {}): BrokerClient {
  const made = createBrokerClient({ url: broker.url, apiKey: KEY, retryDelayMs: 1, logger, ...options });
  clients.push(made);
  return made;
}

/** Everything an error could leak through: message, stack, own and hidden properties, causes. */
function everythingAbout(error: unknown): string {
  return `${String(error)}\n${(error as Error).stack ?? ''}\n${inspect(error, { depth: 8, showHidden: true })}`;
}

const caught: unknown[] = [];
async function failure(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  caught.push(error);
  return error;
}

beforeAll(async () => {
  broker = await startBrokerEmulator({ adminKey: KEY, now: new Date('2025-03-10T06:00:00Z') });
  broker.addNode({ id: 1, lastContact: new Date('2025-03-10T05:00:00Z') });
  broker.addNode({ id: 2 });
  broker.uploadStats(1, {
    start: '2025-03-01T08:00:00+01:00',
    imported: 1,
    updated: 0,
    invalid: 0,
    failed: 0,
  });
  broker.uploadProperties(1, 'versions', { os: 'Debian 12' });
  client = makeClient();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await broker.close();
});

beforeEach(() => {
  broker.clearRequests();
  broker.clearFaults();
  broker.setLatency(0);
});

describe('retries', () => {
  it('succeeds when a 503 is followed by a 200', async () => {
    broker.addFault({ nodeId: 1, resource: 'stats' }, { kind: 'status', status: 503 }, 1);
    const result = await client.getImportStatistics('1');
    expect(result.kind).toBe('fresh');
    expect(broker.requests().map((r) => r.status)).toEqual([503, 200]);
    expect(logLines.some((line) => line.startsWith('broker request failed, trying again'))).toBe(true);
  });

  it('gives up after three tries of a 500 with a typed error carrying status and URL', async () => {
    broker.addFault({ nodeId: 1 }, { kind: 'status', status: 500 }, 4);
    const error = await failure(client.getResource('1', 'versions'));
    expect(error).toBeInstanceOf(BrokerHttpError);
    expect(error).toMatchObject({ status: 500, url: `${broker.url}/broker/node/1/versions` });
    expect(broker.requests().map((r) => r.status)).toEqual([500, 500, 500]);
  });

  it('does not retry a 404 or 401', async () => {
    expect(await client.getResource('2', 'rscript')).toEqual({ kind: 'not-found' });
    broker.addFault('node-list', { kind: 'status', status: 403 });
    await failure(client.listNodes());
    expect(broker.requests()).toHaveLength(2);
  });

  it('retries a reset connection and fails with a network error when it persists', async () => {
    broker.addFault({ nodeId: 1 }, { kind: 'reset' }, 1);
    expect((await client.getImportStatistics('1')).kind).toBe('fresh');
    broker.addFault({ nodeId: 1 }, { kind: 'reset' });
    const error = await failure(client.getImportStatistics('1'));
    expect(error).toBeInstanceOf(BrokerNetworkError);
    expect(broker.requests()).toHaveLength(2 + 3);
  });

  it('retries a body cut off mid-way', async () => {
    broker.addFault({ nodeId: 1 }, { kind: 'truncated' }, 2);
    expect((await client.getImportStatistics('1')).kind).toBe('fresh');
    broker.addFault({ nodeId: 1 }, { kind: 'truncated' });
    expect(await failure(client.getImportStatistics('1'))).toBeInstanceOf(BrokerNetworkError);
  });

  it('times out a slow answer per attempt, retries it, and reports the timeout', async () => {
    const quick = makeClient({ timeoutMs: 250 });
    broker.addFault({ nodeId: 1 }, { kind: 'delay', ms: 1500 }, 1);
    expect((await quick.getImportStatistics('1')).kind).toBe('fresh');
    broker.addFault({ nodeId: 1 }, { kind: 'delay', ms: 1500 });
    const error = await failure(quick.getImportStatistics('1'));
    expect(error).toBeInstanceOf(BrokerTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 250 });
    expect(broker.requests()).toHaveLength(1 + 1 + 3);
  });

  it('stops at once when the caller aborts, also between tries', async () => {
    broker.addFault({ nodeId: 1 }, { kind: 'status', status: 503 });
    const slow = makeClient({ retryDelayMs: 5_000 });
    const budget = new AbortController();
    const pending = slow.getImportStatistics('1', { signal: budget.signal });
    setTimeout(() => budget.abort(new Error('node budget spent')), 200);
    await expect(pending).rejects.toThrow('node budget spent');
    expect(broker.requests()).toHaveLength(1);
  });

  it('reports a refused connection as a network error', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const nowhere = makeClient({ url: `http://127.0.0.1:${port}` });
    const error = await failure(nowhere.checkStatus());
    expect(error).toBeInstanceOf(BrokerNetworkError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('unusable bodies', () => {
  it('refuses malformed XML without retrying', async () => {
    broker.addFault({ nodeId: 1 }, { kind: 'malformed' });
    const error = await failure(client.getImportStatistics('1'));
    expect(error).toBeInstanceOf(BrokerResponseError);
    expect((error as Error).message).toMatch(/malformed XML/);
    expect(broker.requests()).toHaveLength(1);
  });

  it('refuses a complete response whose document stops half-way', async () => {
    broker.addFault({ nodeId: 1, resource: 'versions' }, { kind: 'truncated', mode: 'document' });
    expect(await failure(client.getResource('1', 'versions'))).toBeInstanceOf(BrokerResponseError);
  });

  it('refuses a billion-laughs body for its entity declarations, without expanding them', async () => {
    broker.addFault({ nodeId: 1 }, { kind: 'entity-bomb' });
    const error = await failure(client.getResource('1', 'versions'));
    expect(error).toBeInstanceOf(BrokerResponseError);
    expect((error as Error).message).toContain('entity declaration');
  });

  it('refuses bodies over the limit, with and without Content-Length', async () => {
    broker.addFault({ nodeId: 1 }, { kind: 'oversized', bytes: 2 * 1024 * 1024 }, 1);
    const declared = await failure(client.getResource('1', 'versions'));
    expect(declared).toBeInstanceOf(BrokerResponseError);
    expect((declared as Error).message).toContain('larger than 1048576 bytes');
    broker.addFault({ nodeId: 1 }, { kind: 'oversized', bytes: 2 * 1024 * 1024, chunked: true }, 1);
    const streamed = await failure(client.getResource('1', 'versions'));
    expect(streamed).toBeInstanceOf(BrokerResponseError);
    expect((streamed as Error).message).toContain('larger than 1048576 bytes');
  });

  it('refuses a node list with ids that are not digits', async () => {
    for (const id of ['../x', '1/2']) {
      broker.clearFaults();
      broker.addFault('node-list', { kind: 'hostile-ids', ids: [id] });
      const error = await failure(client.listNodes());
      expect(error).toBeInstanceOf(BrokerResponseError);
      expect((error as Error).message).toContain(`invalid node id ${JSON.stringify(id)}`);
    }
  });

  it('refuses counters that are not plain digits', async () => {
    broker.upload(
      2,
      'stats',
      '<import-statistics><start>s</start><imported>-1</imported><updated>0</updated><invalid>0</invalid><failed>0</failed></import-statistics>',
    );
    const error = await failure(client.getImportStatistics('2'));
    expect(error).toBeInstanceOf(BrokerResponseError);
    expect((error as Error).message).toContain('invalid number in <imported>');
    broker.upload(
      2,
      'stats',
      '<import-statistics><start>s</start><imported>99999999999999999999</imported><updated>0</updated><invalid>0</invalid><failed>0</failed></import-statistics>',
    );
    expect(await failure(client.getImportStatistics('2'))).toBeInstanceOf(BrokerResponseError);
    broker.deleteResource(2, 'stats');
  });
});

describe('concurrency', () => {
  it('keeps at most `concurrency` requests in flight across all calls of a client', async () => {
    const narrow = makeClient({ concurrency: 3 });
    broker.setLatency(30);
    await Promise.all([
      ...Array.from({ length: 6 }, () => narrow.getImportStatistics('1')),
      ...Array.from({ length: 6 }, () => narrow.getResource('1', 'versions')),
    ]);
    expect(broker.requests()).toHaveLength(12);
    expect(broker.concurrency().peak).toBe(3);
  });
});

describe('secrets', () => {
  it('refuses an API key that cannot be a header value without quoting it', () => {
    for (const apiKey of ['', ' padded', 'line\nbreak', 'umlaut-ä-key']) {
      const error = (() => {
        try {
          createBrokerClient({ url: broker.url, apiKey });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(TypeError);
      if (apiKey !== '') expect(everythingAbout(error)).not.toContain(apiKey);
    }
  });

  it('never puts the API key into an error or a log line', async () => {
    const wrongKey = makeClient({ apiKey: `${KEY}-wrong` });
    await failure(wrongKey.listNodes());
    const faults = [
      { kind: 'status', status: 500 },
      { kind: 'reset' },
      { kind: 'truncated' },
      { kind: 'malformed' },
      { kind: 'entity-bomb' },
      { kind: 'oversized', bytes: 2_000_000 },
    ] as const;
    for (const fault of faults) {
      broker.clearFaults();
      broker.addFault({ nodeId: 1 }, fault);
      await failure(client.getResource('1', 'versions'));
    }
    broker.addFault('node-list', { kind: 'hostile-ids', ids: ['../x'] });
    await failure(client.listNodes());
    broker.clearFaults();
    broker.addFault({ nodeId: 1 }, { kind: 'delay', ms: 300 });
    await failure(makeClient({ timeoutMs: 50, tries: 1 }).getImportStatistics('1'));
    for (const error of caught) expect(everythingAbout(error)).not.toContain(KEY);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(KEY);
  });
});
