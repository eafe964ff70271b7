import { type BrokerEmulator, formatHttpDate, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BrokerClient, BrokerHttpError, createBrokerClient, NODE_RESOURCE_NAMES } from '../src/index.js';

const KEY = 'admin-key-endpoints';
const at = (iso: string): Date => new Date(iso);

let broker: BrokerEmulator;
let client: BrokerClient;

beforeAll(async () => {
  broker = await startBrokerEmulator({ adminKey: KEY, now: at('2025-03-10T06:00:00.400Z') });
  broker.addNode({
    id: 3,
    clientDN: 'CN=Klinikum Drei,O=AKTIN',
    lastContact: at('2025-03-10T05:59:58.123Z'),
  });
  broker.addNode({ id: 1, clientDN: 'CN=Eins & Co' });
  broker.addNode({ id: 12, clientDN: 'CN=Zwölf', lastContact: '2025-03-10T05:00:00.123456789Z' });
  broker.uploadStats(3, {
    start: '2025-03-01T08:00:00+01:00',
    lastWrite: at('2025-03-10T05:12:33.120Z'),
    imported: 1200,
    updated: 34,
    invalid: 5,
    failed: 2,
    errors: [
      { timestamp: at('2025-03-09T10:00:00Z'), repeats: 3, content: 'Validation failed: <id> & "root"' },
      { timestamp: '2025-03-08T11:00:00.500+01:00', content: 'once\nwith a second line' },
    ],
  });
  broker.uploadProperties(3, 'versions', [
    ['os', 'Ubuntu 22.04'],
    ['java', 'openjdk 11'],
    ['dwh-j2ee', 'dwh-j2ee-1.5.1rc1'],
    ['apache2', ''],
  ]);
  broker.uploadProperties(3, 'rscript', { 'r-base-core': '4.1.2', 'r-cran-tidyverse': '1.3.1' });
  broker.uploadProperties(3, 'python', { python3: '3.10.12' });
  broker.uploadProperties(3, 'import-scripts', { p21: '1.5', '10': 'numeric key' });
  client = createBrokerClient({ url: `${broker.url}/`, apiKey: KEY, retryDelayMs: 1 });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

beforeEach(() => {
  broker.clearRequests();
  broker.clearFaults();
});

describe('checkStatus', () => {
  it('sends HEAD /broker/status without the key', async () => {
    await client.checkStatus();
    expect(broker.requests()).toMatchObject([{ method: 'HEAD', path: '/broker/status', status: 200 }]);
    expect(broker.requests()[0]?.headers.authorization).toBeUndefined();
  });

  it('fails on a status of 400 or more', async () => {
    broker.addFault('status', { kind: 'status', status: 404 });
    await expect(client.checkStatus()).rejects.toMatchObject({ name: 'BrokerHttpError', status: 404 });
  });
});

describe('listNodes', () => {
  it('returns id, clientDN and verbatim last-contact from the list alone, in broker order', async () => {
    const nodes = await client.listNodes();
    expect(nodes).toEqual([
      { id: '3', clientDN: 'CN=Klinikum Drei,O=AKTIN', lastContact: '2025-03-10T05:59:58.123Z' },
      { id: '1', clientDN: 'CN=Eins & Co' },
      { id: '12', clientDN: 'CN=Zwölf', lastContact: '2025-03-10T05:00:00.123456789Z' },
    ]);
    expect(broker.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /broker/node']);
    expect(broker.requests()[0]?.headers).toMatchObject({
      authorization: `Bearer ${KEY}`,
      accept: 'application/xml',
    });
  });

  it('reads the default-namespace form as well as the ns2 prefix', async () => {
    const plain = await startBrokerEmulator({ adminKey: KEY, namespacePrefix: '' });
    const plainClient = createBrokerClient({ url: plain.url, apiKey: KEY });
    try {
      plain.addNode({ id: 5, clientDN: 'CN=Fünf', lastContact: at('2025-01-01T00:00:00Z') });
      expect(await plainClient.listNodes()).toEqual([
        { id: '5', clientDN: 'CN=Fünf', lastContact: '2025-01-01T00:00:00Z' },
      ]);
    } finally {
      await plainClient.close();
      await plain.close();
    }
  });

  it('fails with the status when the key is wrong, without retrying', async () => {
    const wrong = createBrokerClient({ url: broker.url, apiKey: 'not-the-key', retryDelayMs: 1 });
    try {
      const error = await wrong.listNodes().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerHttpError);
      expect(error).toMatchObject({ status: 401, url: `${broker.url}/broker/node`, method: 'GET' });
      expect(broker.requests()).toHaveLength(1);
    } finally {
      await wrong.close();
    }
  });
});

describe('getImportStatistics', () => {
  it('reads counters, verbatim times and the last errors from one request', async () => {
    const result = await client.getImportStatistics('3');
    expect(result).toEqual({
      kind: 'fresh',
      lastModified: 'Mon, 10 Mar 2025 06:00:00 GMT',
      value: {
        start: '2025-03-01T08:00:00+01:00',
        lastWrite: '2025-03-10T06:12:33.120+01:00',
        imported: 1200,
        updated: 34,
        invalid: 5,
        failed: 2,
        errors: [
          {
            timestamp: '2025-03-09T11:00:00+01:00',
            repeats: '3',
            content: 'Validation failed: <id> & "root"',
          },
          { timestamp: '2025-03-08T11:00:00.500+01:00', content: 'once\nwith a second line' },
        ],
      },
    });
    expect(result.kind === 'fresh' && 'lastReject' in result.value).toBe(false);
    expect(broker.requests().map((r) => r.path)).toEqual(['/broker/node/3/stats']);
  });

  it('reports a node that never uploaded stats, and an unknown node, as not found', async () => {
    expect(await client.getImportStatistics('1')).toEqual({ kind: 'not-found' });
    expect(await client.getImportStatistics('99')).toEqual({ kind: 'not-found' });
  });

  it('reuses what the caller holds: 304 until the node uploads again', async () => {
    const first = await client.getImportStatistics('3');
    if (first.kind !== 'fresh' || first.lastModified === undefined)
      throw new Error('expected a fresh result');
    expect(await client.getImportStatistics('3', { ifModifiedSince: first.lastModified })).toEqual({
      kind: 'not-modified',
    });
    expect(broker.requests()[1]?.headers.ifModifiedSince).toBe(first.lastModified);
    broker.setNow(at('2025-03-11T06:00:00Z'));
    broker.uploadStats(3, {
      start: '2025-03-01T08:00:00+01:00',
      imported: 1300,
      updated: 34,
      invalid: 5,
      failed: 2,
    });
    const next = await client.getImportStatistics('3', { ifModifiedSince: first.lastModified });
    expect(next).toMatchObject({ kind: 'fresh', lastModified: formatHttpDate(at('2025-03-11T06:00:00Z')) });
    expect(next.kind === 'fresh' && next.value.imported).toBe(1300);
  });
});

describe('getResource', () => {
  it('reads each of the four resources as ordered entries, empty text as ""', async () => {
    const values = await Promise.all(NODE_RESOURCE_NAMES.map((name) => client.getResource('3', name)));
    expect(values.map((v) => (v.kind === 'fresh' ? v.value : v.kind))).toEqual([
      [
        ['os', 'Ubuntu 22.04'],
        ['java', 'openjdk 11'],
        ['dwh-j2ee', 'dwh-j2ee-1.5.1rc1'],
        ['apache2', ''],
      ],
      [
        ['r-base-core', '4.1.2'],
        ['r-cran-tidyverse', '1.3.1'],
      ],
      [['python3', '3.10.12']],
      [
        ['10', 'numeric key'],
        ['p21', '1.5'],
      ],
    ]);
    expect(
      broker
        .requests()
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/broker/node/3/import-scripts',
      '/broker/node/3/python',
      '/broker/node/3/rscript',
      '/broker/node/3/versions',
    ]);
  });

  it('keeps the first position and the last value of a repeated key', async () => {
    broker.upload(
      1,
      'python',
      '<properties><entry key="a">1</entry><entry key="b">2</entry><entry key="a">3</entry></properties>',
    );
    expect(await client.getResource('1', 'python')).toMatchObject({
      value: [
        ['a', '3'],
        ['b', '2'],
      ],
    });
  });

  it('answers not-found for a missing resource and not-modified when unchanged', async () => {
    expect(await client.getResource('1', 'versions')).toEqual({ kind: 'not-found' });
    const first = await client.getResource('3', 'versions');
    if (first.kind !== 'fresh' || first.lastModified === undefined)
      throw new Error('expected a fresh result');
    expect(await client.getResource('3', 'versions', { ifModifiedSince: first.lastModified })).toEqual({
      kind: 'not-modified',
    });
  });

  it('refuses ids that are not digits, and header injection, before sending anything', async () => {
    for (const id of ['../x', '1/2', '', ' 1', '1e3']) {
      await expect(client.getResource(id, 'versions')).rejects.toBeInstanceOf(RangeError);
      await expect(client.getImportStatistics(id)).rejects.toBeInstanceOf(RangeError);
    }
    await expect(client.getResource('1', 'stats' as never)).rejects.toBeInstanceOf(RangeError);
    const injected = { ifModifiedSince: 'Mon, 10 Mar 2025 06:00:00 GMT\r\nX-Injected: 1' };
    await expect(client.getImportStatistics('3', injected)).rejects.toBeInstanceOf(RangeError);
    expect(broker.requests()).toHaveLength(0);
  });
});
