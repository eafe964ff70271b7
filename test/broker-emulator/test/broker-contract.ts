/**
 * The wire contract of the AKTIN broker that the emulator imitates, written against raw HTTP
 * so that the same assertions run against the real broker image and against the emulator.
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { expect, it } from 'vitest';
import { AKTIN_NAMESPACE, importStatisticsXml, propertiesXml } from '../src/index.js';

export interface ContractTarget {
  url: string;
  adminKey: string;
  /** Two node API keys and the client DNs the broker knows them by. */
  nodes: readonly [{ key: string; clientDN: string }, { key: string; clientDN: string }];
  /** Lets broker time pass (real broker: wait; emulator: move its clock). */
  advance(ms: number): Promise<void>;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

type XmlObject = Record<string, unknown>;

/** Root element of an exchange-namespace document, with the prefix the document bound it to. */
function exchangeRoot(xml: string, localName: string): { element: XmlObject; q: (local: string) => string } {
  const doc = parser.parse(xml) as XmlObject;
  const rootName = Object.keys(doc).find((name) => name === localName || name.endsWith(`:${localName}`));
  expect(rootName, `root element ${localName} in ${xml.slice(0, 200)}`).toBeDefined();
  const element = doc[rootName as string] as XmlObject;
  const prefix = (rootName as string).includes(':') ? (rootName as string).split(':')[0] : '';
  const declaration = prefix === '' ? '@_xmlns' : `@_xmlns:${prefix}`;
  expect(element[declaration]).toBe(AKTIN_NAMESPACE);
  return { element, q: (local) => (prefix === '' ? local : `${prefix}:${local}`) };
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6}|\.\d{9})?Z$/;
const urlSafe = (bytes: Buffer): string => bytes.toString('base64').replaceAll('+', '-').replaceAll('/', '_');

/** Registers the contract's tests; `target()` is read when they run. */
export function defineBrokerContract(target: () => ContractTarget): void {
  const stats = importStatisticsXml({
    start: new Date('2024-03-01T07:00:00Z'),
    lastWrite: new Date('2024-03-10T06:12:33.123Z'),
    imported: 400,
    updated: 300,
    invalid: 200,
    failed: 100,
    errors: [{ timestamp: new Date('2024-03-09T10:00:00Z'), repeats: 5, content: 'TestError <b>' }],
  });
  const versions = propertiesXml(
    [
      ['java', '11.0.22'],
      ['os', 'Ubuntu 22.04'],
    ],
    'versions',
  );
  const ids = new Map<string, string>();

  const admin = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> =>
    fetch(`${target().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${target().adminKey}`, ...headers },
    });
  const upload = (key: string, resource: string, body: string): Promise<Response> =>
    fetch(`${target().url}/broker/my/node/${resource}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml; charset=utf-8' },
      body,
    });
  const nodeId = (index: 0 | 1): string => {
    const id = ids.get(target().nodes[index].clientDN);
    expect(id).toBeDefined();
    return id as string;
  };

  it('answers HEAD /broker/status without a key', async () => {
    const res = await fetch(`${target().url}/broker/status`, { method: 'HEAD' });
    expect(res.status).toBe(200);
  });

  it('refuses admin endpoints without the admin key (401)', async () => {
    expect((await fetch(`${target().url}/broker/node`)).status).toBe(401);
    const wrong = await fetch(`${target().url}/broker/node`, {
      headers: { authorization: 'Bearer not-a-key' },
    });
    expect(wrong.status).toBe(401);
    const nodeKey = { authorization: `Bearer ${target().nodes[0].key}` };
    expect((await fetch(`${target().url}/broker/node`, { headers: nodeKey })).status).toBe(401);
  });

  it('lists uploading nodes in the exchange namespace with id, clientDN and last-contact', async () => {
    expect((await upload(target().nodes[0].key, 'stats', stats)).status).toBe(204);
    expect((await upload(target().nodes[1].key, 'versions', versions)).status).toBe(204);
    const res = await admin('/broker/node', { accept: 'application/xml' });
    expect(res.status).toBe(200);
    const { element, q } = exchangeRoot(await res.text(), 'node-list');
    const nodes = [element[q('node')]].flat() as XmlObject[];
    for (const node of nodes) {
      expect(String(node[q('id')])).toMatch(/^\d+$/);
      expect(String(node[q('last-contact')])).toMatch(INSTANT);
      expect(['true', 'false']).toContain(String(node[q('websocket')]));
      ids.set(String(node[q('clientDN')]), String(node[q('id')]));
    }
    expect(ids.has(target().nodes[0].clientDN)).toBe(true);
    expect(ids.has(target().nodes[1].clientDN)).toBe(true);
  });

  it('serves one node with id and websocket', async () => {
    const res = await admin(`/broker/node/${nodeId(0)}`);
    expect(res.status).toBe(200);
    const { element, q } = exchangeRoot(await res.text(), 'node');
    expect(String(element[q('id')])).toBe(nodeId(0));
    expect(String(element[q('clientDN')])).toBe(target().nodes[0].clientDN);
    expect(element[q('websocket')]).toBeDefined();
  });

  it('serves a resource verbatim with ETag, Content-MD5, Last-Modified and Cache-Control', async () => {
    const res = await admin(`/broker/node/${nodeId(0)}/stats`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(stats);
    expect(res.headers.get('etag')).toBe(`"${urlSafe(createHash('sha256').update(stats).digest())}"`);
    expect(res.headers.get('content-md5')).toBe(urlSafe(createHash('md5').update(stats).digest()));
    expect(res.headers.get('cache-control')).toBe('no-transform, must-revalidate, max-age=300');
    expect(Number.isNaN(Date.parse(res.headers.get('last-modified') ?? ''))).toBe(false);
  });

  it('answers 304 to If-Modified-Since not older than Last-Modified and ignores If-None-Match', async () => {
    const first = await admin(`/broker/node/${nodeId(1)}/versions`);
    const lastModified = first.headers.get('last-modified') ?? '';
    const notModified = await admin(`/broker/node/${nodeId(1)}/versions`, {
      'if-modified-since': lastModified,
    });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(notModified.headers.get('last-modified')).toBe(lastModified);
    const otherTag = { 'if-modified-since': lastModified, 'if-none-match': '"something-else"' };
    expect((await admin(`/broker/node/${nodeId(1)}/versions`, otherTag)).status).toBe(304);
    const onlyTag = await admin(`/broker/node/${nodeId(1)}/versions`, {
      'if-none-match': first.headers.get('etag') ?? '',
    });
    expect(onlyTag.status).toBe(200);
    const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await admin(`/broker/node/${nodeId(1)}/versions`, { 'if-modified-since': older })).status).toBe(
      200,
    );
  });

  it('gives an unchanged re-upload a newer Last-Modified', async () => {
    const before = (await admin(`/broker/node/${nodeId(1)}/versions`)).headers.get('last-modified') ?? '';
    await target().advance(1100);
    expect((await upload(target().nodes[1].key, 'versions', versions)).status).toBe(204);
    const after = await admin(`/broker/node/${nodeId(1)}/versions`, { 'if-modified-since': before });
    expect(after.status).toBe(200);
    expect(Date.parse(after.headers.get('last-modified') ?? '')).toBeGreaterThan(Date.parse(before));
  });

  it('answers 404 for a missing resource, an unknown node and an id that is no number', async () => {
    expect((await admin(`/broker/node/${nodeId(0)}/versions`)).status).toBe(404);
    expect((await admin('/broker/node/987654/stats')).status).toBe(404);
    expect((await admin('/broker/node/987654')).status).toBe(404);
    expect((await admin('/broker/node/not-a-number/stats')).status).toBe(404);
  });
}
