import { type ConfluenceEmulator, startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfluenceClient, ConfluenceHttpError, createConfluenceClient } from '../src/index.js';

// Every page operation against both flavours of the emulator over loopback: Data Center with a
// context path (bearer token) and Cloud (basic auth, '/wiki' added by the client).
const flavours = [
  {
    name: 'Data Center',
    cloud: false,
    start: () => startConfluenceEmulator({ contextPath: '/confluence', maxPageSize: 3 }),
    connect: (e: ConfluenceEmulator) =>
      createConfluenceClient({ url: e.url, token: e.token, spaceKey: 'AKTIN', retryDelayMs: 5 }),
  },
  {
    name: 'Cloud',
    cloud: true,
    start: () => startConfluenceEmulator({ flavour: 'cloud', maxPageSize: 3 }),
    connect: (e: ConfluenceEmulator) =>
      createConfluenceClient({
        url: e.url,
        token: e.token,
        email: e.email,
        spaceKey: 'AKTIN',
        retryDelayMs: 5,
      }),
  },
];

describe.each(flavours)('pages on $name', ({ cloud, start, connect }) => {
  let emulator: ConfluenceEmulator;
  let client: ConfluenceClient;
  let supportId: string;

  beforeAll(async () => {
    emulator = await start();
    client = connect(emulator);
    supportId = emulator.addPage({ title: 'Support' }).id;
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  const requestsDuring = async <T>(action: () => Promise<T>) => {
    emulator.clearRequests();
    const result = await action();
    return { result, requests: emulator.requests.map((r) => `${r.method} ${r.status}`) };
  };

  it('finds a page by space and title with body, version and version message', async () => {
    const seeded = emulator.addPage({
      title: 'Klinikum Beispiel',
      parentId: supportId,
      body: '<p>hallo</p>',
      version: 7,
      versionMessage: 'sha256:1234',
    });
    const page = await client.findPage('AKTIN', 'Klinikum Beispiel');
    expect(page).toMatchObject({
      id: seeded.id,
      title: 'Klinikum Beispiel',
      spaceKey: 'AKTIN',
      parentId: supportId,
      body: '<p>hallo</p>',
      version: { number: 7, message: 'sha256:1234', minorEdit: false },
    });
    expect(page?.webUrl?.startsWith(emulator.baseUrl)).toBe(true);
    expect(await client.findPage('AKTIN', 'Gibt es nicht')).toBeUndefined();
  });

  it('gets a page by id', async () => {
    const seeded = emulator.addPage({ title: 'Per Id', body: '<p>x</p>' });
    const page = await client.getPage(seeded.id);
    expect(page).toMatchObject({ id: seeded.id, title: 'Per Id', body: '<p>x</p>', version: { number: 1 } });
  });

  const allOf = async <T>(items: AsyncIterable<T>) => {
    const all: T[] = [];
    for await (const item of items) all.push(item);
    return all;
  };

  it('lists all children of a page with bodies, following _links.next across several pages', async () => {
    const parent = emulator.addPage({ title: 'Support Log Broker-Monitor', parentId: supportId });
    const titles = Array.from({ length: 8 }, (_, i) => `Knoten ${i + 1}`);
    for (const title of titles) emulator.addPage({ title, parentId: parent.id, body: `<p>${title}</p>` });
    const { result, requests } = await requestsDuring(() => allOf(client.childPages(parent.id)));
    expect(result.map((p) => p.title)).toEqual(titles);
    expect(result.map((p) => p.body)).toEqual(titles.map((t) => `<p>${t}</p>`));
    expect(result.every((p) => p.parentId === parent.id && p.version.number === 1)).toBe(true);
    // 8 children at the server's cap of 3 per answer; Cloud lists ids and titles, then reads each
    // answer's pages in bulk
    expect(requests).toEqual(Array.from({ length: cloud ? 6 : 3 }, () => 'GET 200'));
  });

  it('reads bodies 25 pages an answer, however many the server would give', async () => {
    // The reporter's peak memory: with 2000 node pages, every answer with bodies is held twice
    // while it is read.
    const roomy = await (cloud
      ? startConfluenceEmulator({ flavour: 'cloud' })
      : startConfluenceEmulator({ maxPageSize: 200 }));
    const roomyClient = connect(roomy);
    try {
      const parent = roomy.addPage({ title: 'Support Log Broker-Monitor' });
      for (let i = 1; i <= 60; i++)
        roomy.addPage({ title: `Knoten ${i}`, parentId: parent.id, body: `<p>${i}</p>` });
      roomy.clearRequests();
      const pages = await allOf(roomyClient.childPages(parent.id));
      expect(pages.map((p) => p.body)).toEqual(Array.from({ length: 60 }, (_, i) => `<p>${i + 1}</p>`));
      const query = (r: { query: string }) => new URLSearchParams(r.query);
      const withBodies = roomy.requests.filter((r) =>
        cloud ? query(r).get('body-format') === 'storage' : query(r).get('expand')?.includes('body.storage'),
      );
      const perAnswer = withBodies.map((r) =>
        cloud ? (query(r).get('id') ?? '').split(',').length : Number(query(r).get('limit')),
      );
      expect(perAnswer).toEqual(cloud ? [25, 25, 10] : [25, 25, 25]);
      // Cloud: the children (ids and titles only) in one answer of up to 250.
      expect(roomy.requests).toHaveLength(cloud ? 4 : 3);
    } finally {
      await roomyClient.close();
      await roomy.close();
    }
  });

  it('asks for the next page of children only when the caller has taken the ones before', async () => {
    const parent = emulator.addPage({ title: 'Eltern', parentId: supportId });
    for (let i = 1; i <= 5; i++) emulator.addPage({ title: `Kind ${i}`, parentId: parent.id });
    emulator.clearRequests();
    const seen: number[] = [];
    for await (const page of client.childPages(parent.id)) {
      seen.push(emulator.requests.length);
      if (page.title === 'Kind 4') break;
    }
    // Kind 1–3 came with the first answer, Kind 4 with the second; the third was never asked for.
    // (Cloud: two requests per answer, the listing and the bulk read.)
    const perAnswer = cloud ? 2 : 1;
    expect(seen).toEqual([1, 1, 1, 2].map((n) => n * perAnswer));
    expect(emulator.requests).toHaveLength(2 * perAnswer);
  });

  it('does not ask for the body back when it writes a page, and returns the body it sent', async () => {
    emulator.clearRequests();
    const created = await client.createPage({ title: 'Ohne Echo', parentId: supportId, body: '<p>a</p>' });
    const updated = await client.updatePage({
      id: created.id,
      title: 'Ohne Echo',
      body: '<p>b</p>',
      version: 2,
    });
    expect([created.body, updated.body]).toEqual(['<p>a</p>', '<p>b</p>']);
    if (cloud) {
      // v2 writes answer without the body unless asked with body-format
      expect(emulator.requests.map((r) => `${r.method} ${r.query}`)).toEqual(['POST ', 'PUT ']);
      return;
    }
    const expands = emulator.requests.map((r) => new URLSearchParams(r.query).get('expand'));
    expect(expands).toEqual(['version,space,ancestors', 'version,space,ancestors']);
  });

  it('creates a page under a parent, in the default space, with a version message', async () => {
    const page = await client.createPage({
      title: 'Neu',
      parentId: supportId,
      body: '<p>neu</p>',
      versionMessage: 'hash-1',
    });
    expect(page).toMatchObject({
      title: 'Neu',
      parentId: supportId,
      // v2's create takes no version message: Cloud writes it as version 2
      version: { number: cloud ? 2 : 1, message: 'hash-1' },
    });
    expect(emulator.findPage('Neu')?.parentId).toBe(supportId);
  });

  it('shows on read-back that Confluence normalised the stored body', async () => {
    const body =
      '<p><br/></p><table><colgroup><col/></colgroup></table>' +
      '<ac:structured-macro ac:name="status"><ac:parameter ac:name="title">ONLINE</ac:parameter></ac:structured-macro>';
    const created = await client.createPage({ title: 'Normalisiert', body });
    const read = await client.getPage(created.id);
    expect(read.body).not.toBe(body);
    expect(read.body).toContain('<p><br /></p><table><colgroup><col /></colgroup></table>');
    expect(read.body).toMatch(
      /<ac:structured-macro ac:name="status" ac:schema-version="1" ac:macro-id="[0-9a-f-]{36}"/,
    );
  });

  it('rejects a duplicate title with a typed 400 error carrying Confluence message', async () => {
    const error = await client.createPage({ title: 'Support', body: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceHttpError);
    expect(error).toMatchObject({ status: 400, method: 'POST', attempts: 1 });
    expect((error as ConfluenceHttpError).confluenceMessage).toContain(
      'A page with this title already exists',
    );
    expect((error as Error).message).toContain('HTTP 400');
  });

  it('rejects malformed storage format with a typed 400 error', async () => {
    const error = await client.createPage({ title: 'Kaputt', body: '<p>offen' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceHttpError);
    expect((error as ConfluenceHttpError).status).toBe(400);
    expect((error as ConfluenceHttpError).confluenceMessage).toMatch(/^Error parsing xhtml/);
    expect(emulator.findPage('Kaputt')).toBeUndefined();
  });

  it('updates with the next version number and keeps the version message', async () => {
    const seeded = emulator.addPage({ title: 'Aktualisiert', body: '<p>1</p>', version: 4 });
    const { result, requests } = await requestsDuring(() =>
      client.updatePage({
        id: seeded.id,
        title: 'Aktualisiert',
        body: '<p>2</p>',
        version: 5,
        versionMessage: 'h2',
      }),
    );
    expect(result).toMatchObject({ version: { number: 5, message: 'h2' }, body: '<p>2</p>' });
    expect(requests).toEqual(['PUT 200']);
    expect(emulator.page(seeded.id)?.versions.map((v) => v.number)).toEqual([4, 5]);
  });

  it('retries a 409 once with the version it reads fresh', async () => {
    const seeded = emulator.addPage({ title: 'Konflikt', body: '<p>1</p>' });
    emulator.conflictNextUpdates(seeded.id, 1);
    const { result, requests } = await requestsDuring(() =>
      client.updatePage({
        id: seeded.id,
        title: 'Konflikt',
        body: '<p>neu</p>',
        version: 2,
        versionMessage: 'mine',
      }),
    );
    // another user saved version 2 before us, so ours becomes version 3
    expect(result.version).toMatchObject({ number: 3, message: 'mine' });
    expect(requests).toEqual(['PUT 409', 'GET 200', 'PUT 200']);
    expect(emulator.page(seeded.id)?.body).toBe('<p>neu</p>');
  });

  it('gives up with a typed 409 error when the retry conflicts again', async () => {
    const seeded = emulator.addPage({ title: 'Dauerkonflikt', body: '<p>1</p>' });
    emulator.conflictNextUpdates(seeded.id, 2);
    emulator.clearRequests();
    const error = await client
      .updatePage({ id: seeded.id, title: 'Dauerkonflikt', body: '<p>neu</p>', version: 2 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceHttpError);
    expect((error as ConfluenceHttpError).status).toBe(409);
    expect((error as ConfluenceHttpError).confluenceMessage).toContain('Current version is: 3');
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'PUT 409',
      'GET 200',
      'PUT 409',
    ]);
  });
});
