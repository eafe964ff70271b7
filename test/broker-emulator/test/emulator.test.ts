import { createHash } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { testCert } from '@broker-monitor/test-certs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BrokerEmulator, formatHttpDate, startBrokerEmulator } from '../src/index.js';

const ADMIN = 'admin-key-for-tests';
const auth = { authorization: `Bearer ${ADMIN}` };
const day = (d: number): Date => new Date(Date.UTC(2025, 2, d, 6, 0, 0, 250));

let broker: BrokerEmulator;

beforeAll(async () => {
  broker = await startBrokerEmulator({
    adminKey: ADMIN,
    now: day(10),
    nodeKeys: { 'node-key': 'CN=Uploader' },
  });
  broker.addNode({ id: 7, clientDN: 'CN=Klinik 7', lastContact: day(9) });
  broker.addNode({ id: 8, clientDN: 'CN=Klinik 8' });
  broker.uploadStats(7, { start: day(1), imported: 5, updated: 0, invalid: 1, failed: 0 });
});

afterAll(async () => {
  await broker.close();
});

beforeEach(() => {
  broker.clearFaults();
  broker.clearRequests();
  broker.setLatency(0);
});

const get = (path: string, headers: Record<string, string> = auth, method = 'GET'): Promise<Response> =>
  fetch(`${broker.url}${path}`, { method, headers });

describe('NodeInfoEndpoint', () => {
  it('lists nodes in the exchange namespace with last-contact as Instant text', async () => {
    const res = await get('/broker/node');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml');
    const xml = await res.text();
    expect(xml).toContain('<ns2:node-list xmlns:ns2="http://aktin.org/ns/exchange">');
    expect(xml).toContain('<ns2:id>7</ns2:id><ns2:clientDN>CN=Klinik 7</ns2:clientDN>');
    expect(xml).toContain('<ns2:last-contact>2025-03-09T06:00:00.250Z</ns2:last-contact>');
    expect(xml).not.toContain('modules');
  });

  it('serves one node with websocket and modules', async () => {
    broker.node(8).modules = [['broker-api', '1.5.2']];
    const xml = await (await get('/broker/node/8')).text();
    expect(xml).toContain('<ns2:websocket>false</ns2:websocket><ns2:modules><entry><key>broker-api</key>');
  });

  it('wants the admin bearer key; status needs none', async () => {
    expect((await get('/broker/node', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get('/broker/node', { authorization: ADMIN })).status).toBe(401);
    expect((await get('/broker/node/7/stats', { authorization: 'Bearer node-key' })).status).toBe(401);
    expect((await get('/broker/status', {}, 'HEAD')).status).toBe(200);
  });

  it('answers 404 for unknown nodes, resources and ids that are no int', async () => {
    expect((await get('/broker/node/99')).status).toBe(404);
    expect((await get('/broker/node/99/stats')).status).toBe(404);
    expect((await get('/broker/node/8/stats')).status).toBe(404);
    expect((await get('/broker/node/abc')).status).toBe(404);
    expect((await get('/broker/node/7/stats/x')).status).toBe(404);
  });

  it('serves a resource verbatim with ETag, Content-MD5, Last-Modified and Cache-Control', async () => {
    broker.setNow(new Date('2025-03-10T06:30:00.750Z'));
    const body = '<?xml version="1.0"?>\n<properties><entry key="os">Debian</entry></properties>';
    broker.upload(7, 'versions', body, 'application/xml; charset=utf-8');
    const res = await get('/broker/node/7/versions');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(body);
    const sha = createHash('sha256').update(body).digest('base64').replaceAll('+', '-').replaceAll('/', '_');
    expect(res.headers.get('etag')).toBe(`"${sha}"`);
    expect(res.headers.get('content-md5')).toMatch(/^[\w-]{22}==$/);
    expect(res.headers.get('last-modified')).toBe('Mon, 10 Mar 2025 06:30:00 GMT');
    expect(res.headers.get('cache-control')).toBe('no-transform, must-revalidate, max-age=300');
    expect(res.headers.get('content-type')).toBe('application/xml;charset=utf-8');
  });

  it('answers 304 when If-Modified-Since is not older than Last-Modified (seconds), ignoring If-None-Match', async () => {
    broker.setNow(new Date('2025-03-10T06:40:00.900Z'));
    broker.uploadStats(7, { start: day(1), imported: 6, updated: 0, invalid: 1, failed: 0 });
    const lastModified = formatHttpDate(new Date('2025-03-10T06:40:00Z'));
    const same = await get('/broker/node/7/stats', { ...auth, 'if-modified-since': lastModified });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).not.toBeNull();
    expect(same.headers.get('last-modified')).toBe(lastModified);
    expect(await same.text()).toBe('');
    const older = formatHttpDate(new Date('2025-03-10T06:39:59Z'));
    expect((await get('/broker/node/7/stats', { ...auth, 'if-modified-since': older })).status).toBe(200);
    const mismatch = { ...auth, 'if-modified-since': lastModified, 'if-none-match': '"other"' };
    expect((await get('/broker/node/7/stats', mismatch)).status).toBe(304);
    expect((await get('/broker/node/7/stats', { ...auth, 'if-modified-since': 'yesterday' })).status).toBe(
      200,
    );
  });

  it('sets a new Last-Modified on every upload, even when the content is unchanged', async () => {
    broker.setNow(day(11));
    broker.uploadProperties(7, 'rscript', { 'r-base-core': '4.1' });
    const first = (await get('/broker/node/7/rscript')).headers.get('last-modified') ?? '';
    broker.setNow(day(12));
    broker.uploadProperties(7, 'rscript', { 'r-base-core': '4.1' });
    const res = await get('/broker/node/7/rscript', { ...auth, 'if-modified-since': first });
    expect(res.status).toBe(200);
    expect(res.headers.get('last-modified')).toBe(formatHttpDate(day(12)));
  });

  it('registers an uploading node on its first request and records its contact', async () => {
    broker.setNow(day(13));
    const put = await fetch(`${broker.url}/broker/my/node/python`, {
      method: 'PUT',
      headers: { authorization: 'Bearer node-key', 'content-type': 'application/xml' },
      body: '<properties/>',
    });
    expect(put.status).toBe(204);
    const xml = await (await get('/broker/node')).text();
    expect(xml).toContain('<ns2:id>9</ns2:id><ns2:clientDN>CN=Uploader</ns2:clientDN>');
    expect(xml).toContain('<ns2:last-contact>2025-03-13T06:00:00.250Z</ns2:last-contact>');
    expect(await (await get('/broker/node/9/python')).text()).toBe('<properties/>');
  });
});

describe('switches', () => {
  it('answers with a status for the next N requests of one node', async () => {
    broker.addFault({ nodeId: 7 }, { kind: 'status', status: 503 }, 2);
    expect((await get('/broker/node/7/stats')).status).toBe(503);
    expect((await get('/broker/node/7')).status).toBe(503);
    expect((await get('/broker/node/7/stats')).status).toBe(200);
    expect((await get('/broker/node/8')).status).toBe(200);
  });

  it('limits a fault to one resource', async () => {
    broker.addFault({ nodeId: 7, resource: 'versions' }, { kind: 'status', status: 500 });
    expect((await get('/broker/node/7/versions')).status).toBe(500);
    expect((await get('/broker/node/7/stats')).status).toBe(200);
  });

  it('resets the connection, truncates and breaks bodies', async () => {
    broker.addFault({ nodeId: 7 }, { kind: 'reset' }, 1);
    await expect(get('/broker/node/7/stats')).rejects.toThrow();
    broker.addFault({ nodeId: 7 }, { kind: 'truncated' }, 1);
    await expect((await get('/broker/node/7/stats')).text()).rejects.toThrow();
    broker.addFault({ nodeId: 7 }, { kind: 'truncated', mode: 'document' }, 1);
    const cut = await (await get('/broker/node/7/stats')).text();
    expect(cut.length).toBeGreaterThan(10);
    expect(cut).not.toContain('</import-statistics>');
    broker.addFault({ nodeId: 7 }, { kind: 'malformed' }, 1);
    expect(await (await get('/broker/node/7/stats')).text()).toContain('</begin>');
    broker.addFault({ nodeId: 7 }, { kind: 'entity-bomb' }, 1);
    expect(await (await get('/broker/node/7/stats')).text()).toContain('<!ENTITY lol9');
    const log = broker.requests().map((r) => [r.status, r.fault]);
    expect(log).toEqual([
      [0, 'reset'],
      [200, 'truncated'],
      [200, 'truncated'],
      [200, 'malformed'],
      [200, 'entity-bomb'],
    ]);
  });

  it('sends oversized bodies with and without Content-Length', async () => {
    broker.addFault({ nodeId: 7 }, { kind: 'oversized', bytes: 3_000_000 }, 1);
    const sized = await get('/broker/node/7/stats');
    expect(sized.headers.get('content-length')).toBe('3000000');
    expect((await sized.arrayBuffer()).byteLength).toBe(3_000_000);
    broker.addFault({ nodeId: 7 }, { kind: 'oversized', bytes: 3_000_000, chunked: true }, 1);
    const chunked = await get('/broker/node/7/stats');
    expect(chunked.headers.get('content-length')).toBeNull();
    expect((await chunked.arrayBuffer()).byteLength).toBe(3_000_000);
  });

  it('adds hostile ids to the node list', async () => {
    broker.addFault('node-list', { kind: 'hostile-ids', ids: ['../x', '1/2'] }, 1);
    const xml = await (await get('/broker/node')).text();
    expect(xml).toContain('<ns2:id>../x</ns2:id>');
    expect(xml).toContain('<ns2:id>1/2</ns2:id>');
  });

  it('delays responses by the configured latency and per-node delays', async () => {
    broker.setLatency(60);
    let start = performance.now();
    await get('/broker/status', {}, 'HEAD');
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
    broker.setLatency(0);
    broker.addFault({ nodeId: 8 }, { kind: 'delay', ms: 80 }, 1);
    start = performance.now();
    expect((await get('/broker/node/8')).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(75);
  });

  it('counts requests in flight and the peak since the log was cleared', async () => {
    broker.setLatency(40);
    await Promise.all([get('/broker/node/7'), get('/broker/node/8'), get('/broker/node/7/stats')]);
    expect(broker.concurrency().peak).toBe(3);
    broker.clearRequests();
    expect(broker.concurrency().peak).toBe(0);
  });

  it('logs method, path, status and the headers of interest', async () => {
    await get('/broker/node/7/stats', {
      ...auth,
      'if-modified-since': 'Mon, 10 Mar 2025 06:00:00 GMT',
      accept: 'application/xml',
    });
    expect(broker.requests()).toEqual([
      {
        method: 'GET',
        path: '/broker/node/7/stats',
        status: 200,
        target: { endpoint: 'node', nodeId: 7, resource: 'stats' },
        headers: {
          authorization: auth.authorization,
          accept: 'application/xml',
          ifModifiedSince: 'Mon, 10 Mar 2025 06:00:00 GMT',
          userAgent: 'node',
        },
      },
    ]);
  });
});

describe('https', () => {
  it('serves TLS with the loopback test certificate', async () => {
    const secure = await startBrokerEmulator({ adminKey: ADMIN, https: true });
    try {
      expect(secure.url.startsWith('https://127.0.0.1:')).toBe(true);
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(`${secure.url}/broker/status`, { method: 'HEAD', ca: testCert }, (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
    } finally {
      await secure.close();
    }
  });
});
