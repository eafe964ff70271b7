import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfluenceEmulator, contactsPageBody, startConfluenceEmulator } from '../src/index.js';

// Talks to the emulator over loopback with plain fetch, as a client in another language would.
let dc: ConfluenceEmulator;
let cloud: ConfluenceEmulator;

beforeAll(async () => {
  dc = await startConfluenceEmulator({ token: 'dc-secret', contextPath: '/confluence', maxPageSize: 2 });
  cloud = await startConfluenceEmulator({ flavour: 'cloud', token: 'cloud-secret', email: 'it@example.org' });
});
afterAll(async () => {
  await dc.close();
  await cloud.close();
});

const bearer = { Authorization: 'Bearer dc-secret' };
const basic = { Authorization: `Basic ${Buffer.from('it@example.org:cloud-secret').toString('base64')}` };

async function call(
  emulator: ConfluenceEmulator,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string>; body?: FormData } = {},
) {
  const auth = emulator === cloud ? basic : bearer;
  const response = await fetch(`${emulator.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...auth,
      ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...init.headers,
    },
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary Confluence JSON answers
  return { status: response.status, json: json as Record<string, any> };
}

const pageJson = (title: string, body: string, parentId?: string) => ({
  type: 'page',
  title,
  space: { key: 'AKTIN' },
  ...(parentId ? { ancestors: [{ id: parentId }] } : {}),
  body: { storage: { value: body, representation: 'storage' } },
});

/** A Data Center page update as the reporter sends it. */
const putPage = (id: string, title: string, body: string, version: { number: number; message?: string }) =>
  call(dc, `/rest/api/content/${id}`, {
    method: 'PUT',
    json: { type: 'page', title, body: { storage: { value: body, representation: 'storage' } }, version },
  });

function upload(fileName: string, content: string, comment?: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'text/csv' }), fileName);
  if (comment !== undefined) form.append('comment', comment);
  return form;
}

describe('authentication', () => {
  it('answers 401 without the bearer token, with a wrong one, and with basic auth on Data Center', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, basic]) {
      const response = await fetch(`${dc.baseUrl}/rest/api/content?spaceKey=AKTIN`, { headers });
      expect(response.status).toBe(401);
    }
    expect((await call(dc, '/rest/api/content?spaceKey=AKTIN')).status).toBe(200);
  });

  it('wants basic auth under /wiki on Cloud and knows no other path', async () => {
    expect(cloud.url).not.toContain('/wiki');
    expect(cloud.baseUrl).toBe(`${cloud.url}/wiki`);
    const bearerOnCloud = await fetch(`${cloud.baseUrl}/rest/api/content`, {
      headers: { Authorization: 'Bearer cloud-secret' },
    });
    expect(bearerOnCloud.status).toBe(401);
    expect((await call(cloud, '/api/v2/spaces?keys=AKTIN')).status).toBe(200);
    const withoutWiki = await fetch(`${cloud.url}/api/v2/spaces`, { headers: basic });
    expect(withoutWiki.status).toBe(404);
  });
});

describe('pages', () => {
  it('creates a page under a parent, finds it by space and title, and reports its ancestors', async () => {
    const support = dc.addPage({ title: 'Support' });
    const created = await call(dc, '/rest/api/content', {
      method: 'POST',
      json: pageJson('Klinik A', '<p>a</p>', support.id),
    });
    expect(created.status).toBe(200);
    expect(created.json.version.number).toBe(1);
    const found = await call(
      dc,
      '/rest/api/content?spaceKey=AKTIN&title=Klinik%20A&expand=body.storage,version,ancestors',
    );
    expect(found.json.results).toHaveLength(1);
    expect(found.json.results[0].id).toBe(created.json.id);
    expect(found.json.results[0].body.storage.value).toBe('<p>a</p>');
    expect(found.json.results[0].ancestors.map((a: { id: string }) => a.id)).toEqual([support.id]);
    const notExpanded = await call(dc, `/rest/api/content/${created.json.id}`);
    expect(notExpanded.json.body).toBeUndefined();
    expect(notExpanded.json._expandable.body).toBe('');
  });

  it('rejects a second page with the same title in the space with 400', async () => {
    dc.addPage({ title: 'Doppelt' });
    const duplicate = await call(dc, '/rest/api/content', { method: 'POST', json: pageJson('Doppelt', '') });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.message).toContain('A page with this title already exists');
  });

  it('accepts an update only with the current version plus one, keeping the version message', async () => {
    const page = dc.addPage({ title: 'Versioned', body: '<p>v1</p>' });
    const update = (number: number) =>
      putPage(page.id, 'Versioned', '<p>v2</p>', { number, message: 'sha256:abc' });
    const stale = await update(1);
    expect(stale.status).toBe(409);
    expect(stale.json.message).toBe('Version must be incremented on update. Current version is: 1');
    expect((await update(3)).status).toBe(409);
    const ok = await update(2);
    expect(ok.status).toBe(200);
    expect(ok.json.version).toMatchObject({ number: 2, message: 'sha256:abc' });
    expect(dc.page(page.id)?.versions.map((v) => v.number)).toEqual([1, 2]);
  });

  it('rejects storage bodies that are not well-formed XML with 400, naming the position', async () => {
    for (const body of ['<p>open', '<p><br></p>', '<x:macro/>', 'a &nbsp; b', '<p class=a></p>']) {
      const response = await call(dc, '/rest/api/content', {
        method: 'POST',
        json: pageJson(`Bad ${body}`, body),
      });
      expect(response.status, body).toBe(400);
      expect(response.json.message).toMatch(
        /^Error parsing xhtml: .*\n at \[row,col \{unknown-source\}\]: \[1,\d+\]$/s,
      );
    }
    expect(dc.findPage('Bad <p>open')).toBeUndefined();
  });

  it('stores bodies normalised: macro ids and schema versions added, empty elements rewritten', async () => {
    const body =
      '<p><br/></p><table><colgroup><col/></colgroup><tbody><tr><td class="online_since"><time datetime="2024-01-01"></time></td></tr></tbody></table>' +
      `<ac:structured-macro ac:name="status"><ac:parameter ac:name='title'>ONLINE</ac:parameter></ac:structured-macro><!-- gone -->`;
    const created = await call(dc, '/rest/api/content?expand=body.storage', {
      method: 'POST',
      json: pageJson('Normalised', body),
    });
    const stored: string = created.json.body.storage.value;
    expect(stored).toMatch(
      /^<p><br \/><\/p><table><colgroup><col \/><\/colgroup><tbody><tr><td class="online_since"><time datetime="2024-01-01" \/><\/td><\/tr><\/tbody><\/table><ac:structured-macro ac:name="status" ac:schema-version="1" ac:macro-id="[0-9a-f-]{36}"><ac:parameter ac:name="title">ONLINE<\/ac:parameter><\/ac:structured-macro>$/,
    );
    expect(stored).not.toBe(body);
    const space = await call(cloud, '/api/v2/spaces?keys=AKTIN');
    const cloudPage = await call(cloud, '/api/v2/pages?body-format=storage', {
      method: 'POST',
      json: {
        spaceId: space.json.results[0].id,
        title: 'Normalised',
        body: { representation: 'storage', value: body },
      },
    });
    expect(cloudPage.json.body.storage.value).toMatch(
      /ac:macro-id="[0-9a-f-]{36}" ac:local-id="[0-9a-f-]{36}"/,
    );
  });

  it('pages children by limit and start with a next link relative to the base URL', async () => {
    const parent = dc.addPage({ title: 'Eltern' });
    for (const n of [1, 2, 3, 4, 5]) dc.addPage({ title: `Kind ${n}`, parentId: parent.id });
    const titles: string[] = [];
    let path: string | undefined = `/rest/api/content/${parent.id}/child/page?expand=version&limit=100`;
    let requests = 0;
    while (path) {
      const listing = await call(dc, path);
      requests += 1;
      expect(listing.json.limit).toBe(2);
      expect(listing.json._links.base).toBe(dc.baseUrl);
      expect(listing.json._links.context).toBe('/confluence');
      titles.push(...listing.json.results.map((r: { title: string }) => r.title));
      path = listing.json._links.next;
      if (path) expect(path).toMatch(/^\/rest\/api\/content\/\d+\/child\/page\?.*expand=version/);
    }
    expect(titles).toEqual(['Kind 1', 'Kind 2', 'Kind 3', 'Kind 4', 'Kind 5']);
    expect(requests).toBe(3);
  });
});

describe('attachments', () => {
  it('refuses an upload without X-Atlassian-Token: no-check with 403', async () => {
    const page = dc.addPage({ title: 'Ohne Token' });
    const response = await call(dc, `/rest/api/content/${page.id}/child/attachment`, {
      method: 'POST',
      body: upload('a.csv', 'x'),
    });
    expect(response.status).toBe(403);
    expect(response.json).toBe('XSRF check failed');
    expect(dc.attachments(page.id)).toEqual([]);
  });

  it('creates, refuses a second create of the same name, versions through /data, lists and downloads', async () => {
    const page = dc.addPage({ title: 'Anhänge' });
    const headers = { 'X-Atlassian-Token': 'no-check' };
    const base = `/rest/api/content/${page.id}/child/attachment`;
    const created = await call(dc, base, {
      method: 'POST',
      headers,
      body: upload('stats.csv', 'a;b\n', 'first'),
    });
    expect(created.status).toBe(200);
    const attachment = created.json.results[0];
    expect(attachment).toMatchObject({
      title: 'stats.csv',
      extensions: { mediaType: 'text/csv', comment: 'first' },
    });

    const again = await call(dc, base, { method: 'POST', headers, body: upload('stats.csv', 'other') });
    expect(again.status).toBe(400);
    expect(again.json.message).toContain('same file name as an existing attachment: stats.csv');

    const updated = await call(dc, `${base}/${attachment.id}/data`, {
      method: 'POST',
      headers,
      body: upload('stats.csv', 'a;b\n1;2\n', 'second'),
    });
    expect(updated.status).toBe(200);
    expect(updated.json.version.number).toBe(2);

    const listing = await call(dc, `${base}?expand=version`);
    expect(listing.json.results).toHaveLength(1);
    expect(listing.json.results[0]).toMatchObject({
      id: attachment.id,
      version: { number: 2 },
      extensions: { comment: 'second' },
    });
    const download = await fetch(`${dc.baseUrl}${listing.json.results[0]._links.download}`, {
      headers: bearer,
    });
    expect(await download.text()).toBe('a;b\n1;2\n');
    expect(dc.attachments(page.id)[0]?.content.toString()).toBe('a;b\n1;2\n');
  });
});

describe('request log and faults', () => {
  it('logs method, path and status of every request', async () => {
    dc.clearRequests();
    await call(dc, '/rest/api/content/999999');
    await fetch(`${dc.baseUrl}/rest/api/content`);
    expect(dc.requests).toEqual([
      { method: 'GET', path: '/confluence/rest/api/content/999999', query: '', status: 404 },
      { method: 'GET', path: '/confluence/rest/api/content', query: '', status: 401 },
    ]);
  });

  it('fails one page with 500 a given number of times, leaving the others alone', async () => {
    const broken = dc.addPage({ title: 'Kaputt' });
    const fine = dc.addPage({ title: 'Heil' });
    dc.failPage(broken.id, { times: 2, message: 'database gone' });
    const first = await call(dc, `/rest/api/content/${broken.id}`);
    expect(first).toMatchObject({ status: 500, json: { message: 'database gone' } });
    expect((await call(dc, `/rest/api/content/${fine.id}`)).status).toBe(200);
    expect((await call(dc, `/rest/api/content/${broken.id}`)).status).toBe(500);
    expect((await call(dc, `/rest/api/content/${broken.id}`)).status).toBe(200);
  });

  it('lets another user save the page before the next update, so that update gets 409', async () => {
    const page = dc.addPage({ title: 'Umkämpft' });
    dc.conflictNextUpdates(page.id, 1);
    const put = (number: number) => putPage(page.id, 'Umkämpft', '', { number });
    expect((await put(2)).status).toBe(409);
    expect((await put(3)).status).toBe(200);
  });

  it('can carry a request out and lose its answer', async () => {
    dc.addFault({ method: 'POST', path: '/rest/api/content', loseAnswer: true, times: 1 });
    await expect(
      call(dc, '/rest/api/content', { method: 'POST', json: pageJson('Verloren', '') }),
    ).rejects.toThrow();
    expect(dc.findPage('Verloren')).toBeDefined();
    expect(dc.requests.at(-1)).toMatchObject({ method: 'POST', status: 0 });
  });

  it('reports the peak number of requests served at once', async () => {
    dc.clearRequests();
    const remove = dc.addFault({ path: '/rest/api/content', delayMs: 100 });
    await Promise.all([1, 2, 3].map(() => call(dc, '/rest/api/content')));
    expect(dc.peakConcurrency).toBe(3);
    await call(dc, '/rest/api/content');
    dc.clearRequests();
    await call(dc, '/rest/api/content');
    expect(dc.peakConcurrency).toBe(1);
    remove();
  });

  it('delays and drops connections on request', async () => {
    const remove = dc.addFault({ path: '/rest/api/content', delayMs: 60, times: 1 });
    const started = performance.now();
    expect((await call(dc, '/rest/api/content')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    remove();
    dc.addFault({ path: /^\/rest\/api\/content$/, dropConnection: true, times: 1 });
    await expect(call(dc, '/rest/api/content')).rejects.toThrow();
    expect(dc.requests.at(-1)?.status).toBe(0);
    dc.clearFaults();
  });
});

it('renders the contacts page in both header forms, as valid storage format', async () => {
  const rows = [
    {
      nodeId: '3',
      role: 'IT' as const,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.org',
      mainContact: true,
    },
  ];
  for (const headerCells of ['th', 'td'] as const) {
    const page = dc.addPage({
      title: `E-Mail-Verteiler ${headerCells}`,
      body: contactsPageBody(rows, { headerCells }),
    });
    expect(page.body).toContain(`<${headerCells}>Ansprechpartner für</${headerCells}>`);
    expect(page.body).toContain(
      '<td><a href="mailto:ada@example.org">ada@example.org</a></td><td>x</td><td /></tr>',
    );
  }
});

describe('Cloud: REST API v2', () => {
  const v2Page = (spaceId: string, title: string, parentId?: string) => ({
    spaceId,
    status: 'current',
    title,
    ...(parentId ? { parentId } : {}),
    body: { representation: 'storage', value: `<p>${title}</p>` },
  });

  it('answers 410 Gone for the removed v1 content endpoints and keeps the v1 attachment upload', async () => {
    const page = cloud.addPage({ title: 'Gone test' });
    const removed = [
      ['GET', '/rest/api/content?spaceKey=AKTIN'],
      ['POST', '/rest/api/content'],
      ['GET', `/rest/api/content/${page.id}`],
      ['PUT', `/rest/api/content/${page.id}`],
      ['GET', `/rest/api/content/${page.id}/child/page`],
      ['GET', `/rest/api/content/${page.id}/child/attachment`],
    ];
    for (const [method, path] of removed) {
      expect(
        (await call(cloud, path ?? '', method === 'GET' ? {} : { method: method ?? 'GET', json: {} })).status,
        path,
      ).toBe(410);
    }
    const refused = await call(cloud, `/rest/api/content/${page.id}/child/attachment`, {
      method: 'POST',
      body: upload('a.csv', 'x'),
    });
    expect(refused.status).toBe(403);
    const created = await call(cloud, `/rest/api/content/${page.id}/child/attachment`, {
      method: 'POST',
      body: upload('a.csv', 'x', 'sha256:1'),
      headers: { 'X-Atlassian-Token': 'no-check' },
    });
    expect(created.status).toBe(200);
    const attachmentId = created.json.results[0].id;
    const next = await call(cloud, `/rest/api/content/${page.id}/child/attachment/${attachmentId}/data`, {
      method: 'POST',
      body: upload('a.csv', 'y', 'sha256:2'),
      headers: { 'X-Atlassian-Token': 'no-check' },
    });
    expect(next.status).toBe(200);
    const listed = await call(cloud, `/api/v2/pages/${page.id}/attachments`);
    expect(listed.json.results).toMatchObject([
      { id: attachmentId, title: 'a.csv', pageId: page.id, comment: 'sha256:2', version: { number: 2 } },
    ]);
    const download = await fetch(`${cloud.baseUrl}${listed.json.results[0].downloadLink}`, {
      headers: basic,
    });
    expect(await download.text()).toBe('y');
  });

  it('creates without a version message, updates with one, and finds pages by space and title', async () => {
    const space = await call(cloud, '/api/v2/spaces?keys=AKTIN');
    expect(space.json.results).toMatchObject([{ key: 'AKTIN', id: expect.any(String) }]);
    const spaceId: string = space.json.results[0].id;
    const created = await call(cloud, '/api/v2/pages', { method: 'POST', json: v2Page(spaceId, 'V2 page') });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ title: 'V2 page', spaceId, version: { number: 1, message: '' } });
    const updated = await call(cloud, `/api/v2/pages/${created.json.id}`, {
      method: 'PUT',
      json: { ...v2Page(spaceId, 'V2 page'), id: created.json.id, version: { number: 2, message: 'hash' } },
    });
    expect(updated.json.version).toMatchObject({ number: 2, message: 'hash' });
    const stale = await call(cloud, `/api/v2/pages/${created.json.id}`, {
      method: 'PUT',
      json: { ...v2Page(spaceId, 'V2 page'), id: created.json.id, version: { number: 2 } },
    });
    expect(stale.status).toBe(409);
    const found = await call(cloud, `/api/v2/pages?space-id=${spaceId}&title=V2+page&body-format=storage`);
    expect(found.json.results).toMatchObject([
      { id: created.json.id, body: { storage: { value: '<p>V2 page</p>' } }, version: { number: 2 } },
    ]);
    const withoutBody = await call(cloud, `/api/v2/pages/${created.json.id}`);
    expect(withoutBody.json.body).toEqual({});
  });

  it('lists children by cursor (default 25, Link header) and reads them in bulk by id', async () => {
    const parent = cloud.addPage({ title: 'Many children' });
    for (let i = 0; i < 30; i += 1) cloud.addPage({ title: `Child ${i}`, parentId: parent.id });
    const first = await fetch(`${cloud.baseUrl}/api/v2/pages/${parent.id}/children`, { headers: basic });
    const firstJson = (await first.json()) as {
      results: { id: string; title: string }[];
      _links: { next: string };
    };
    expect(firstJson.results).toHaveLength(25);
    expect(Object.keys(firstJson.results[0] ?? {})).not.toContain('body');
    expect(firstJson._links.next).toMatch(new RegExp(`^/wiki/api/v2/pages/${parent.id}/children\\?cursor=`));
    expect(first.headers.get('link')).toContain(`<${firstJson._links.next}>; rel="next"`);
    const second = await fetch(`${cloud.url}${firstJson._links.next}`, { headers: basic });
    const secondJson = (await second.json()) as { results: { id: string }[]; _links: Record<string, string> };
    expect(secondJson.results).toHaveLength(5);
    expect(secondJson._links.next).toBeUndefined();
    expect(second.headers.get('link')).toBeNull();
    const ids = [...firstJson.results, ...secondJson.results].map((c) => c.id);
    const bulk = await call(cloud, `/api/v2/pages?id=${ids.join(',')}&body-format=storage&limit=250`);
    expect(bulk.json.results).toHaveLength(30);
    expect(bulk.json.results[0]).toMatchObject({
      parentId: parent.id,
      body: { storage: { representation: 'storage' } },
    });
    expect((await call(cloud, `/api/v2/pages?limit=251`)).status).toBe(400);
  });

  it('sends Retry-After with an injected 429', async () => {
    const remove = cloud.addFault({ path: '/api/v2/spaces', status: 429, retryAfterSeconds: 2, times: 1 });
    const response = await fetch(`${cloud.baseUrl}/api/v2/spaces`, { headers: basic });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    remove();
  });
});
