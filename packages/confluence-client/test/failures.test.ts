import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { type ConfluenceEmulator, startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConfluenceClientOptions,
  ConfluenceError,
  ConfluenceHttpError,
  ConfluenceNetworkError,
  ConfluenceResponseError,
  ConfluenceTimeoutError,
  createConfluenceClient,
} from '../src/index.js';

const token = 'pat-very-secret-0123456789';
const email = 'it@example.org';
let dc: ConfluenceEmulator;
let cloud: ConfluenceEmulator;

beforeAll(async () => {
  dc = await startConfluenceEmulator({ token });
  cloud = await startConfluenceEmulator({ flavour: 'cloud', token, email });
});
afterAll(async () => {
  await dc.close();
  await cloud.close();
});

const connect = (options: Partial<ConfluenceClientOptions> = {}) =>
  createConfluenceClient({ url: dc.url, token, retryDelayMs: 5, ...options });

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('credentials', () => {
  it('answers a wrong token with a typed 401 and does not retry it', async () => {
    dc.clearRequests();
    const error = await failureOf(connect({ token: 'wrong' }).getPage('1'));
    expect(error).toBeInstanceOf(ConfluenceHttpError);
    expect(error).toMatchObject({ status: 401, isAuthFailure: true, attempts: 1 });
    expect(dc.requests).toHaveLength(1);
  });

  it('sends a bearer token to Data Center and basic auth to Cloud', async () => {
    const page = cloud.addPage({ title: 'Wolke' });
    const viaCloud = createConfluenceClient({ url: cloud.url, token, email, retryDelayMs: 5 });
    expect(viaCloud.siteUrl).toBe(cloud.baseUrl);
    expect((await viaCloud.getPage(page.id)).title).toBe('Wolke');
    // the same token as a bearer token is refused by Cloud
    const asBearer = createConfluenceClient({ url: `${cloud.url}/wiki`, token, retryDelayMs: 5 });
    expect(await failureOf(asBearer.getPage(page.id))).toMatchObject({ status: 401 });
  });
});

describe('retries', () => {
  it('retries a 500 and succeeds when the server recovers', async () => {
    const page = dc.addPage({ title: 'Wackelig' });
    dc.failPage(page.id, { times: 1 });
    dc.clearRequests();
    expect((await connect().getPage(page.id)).title).toBe('Wackelig');
    expect(dc.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('gives up after the configured tries with a typed 500 error', async () => {
    const page = dc.addPage({ title: 'Kaputt' });
    const remove = dc.failPage(page.id, { message: 'Internal server error: database gone' });
    dc.clearRequests();
    const error = await failureOf(connect({ tries: 3 }).getPage(page.id));
    remove();
    expect(error).toBeInstanceOf(ConfluenceHttpError);
    expect(error).toMatchObject({
      status: 500,
      attempts: 3,
      confluenceMessage: 'Internal server error: database gone',
    });
    expect(dc.requests.map((r) => r.status)).toEqual([500, 500, 500]);
  });

  it('retries a dropped connection', async () => {
    const page = dc.addPage({ title: 'Abgerissen' });
    dc.addFault({ path: `/rest/api/content/${page.id}`, dropConnection: true, times: 1 });
    dc.clearRequests();
    expect((await connect().getPage(page.id)).title).toBe('Abgerissen');
    expect(dc.requests.map((r) => r.status)).toEqual([0, 200]);
  });

  it('times out a slow answer, retries it, and reports a typed timeout', async () => {
    const page = dc.addPage({ title: 'Langsam' });
    const remove = dc.addFault({ path: `/rest/api/content/${page.id}`, delayMs: 400 });
    const error = await failureOf(connect({ timeoutMs: 50, tries: 2 }).getPage(page.id));
    remove();
    expect(error).toBeInstanceOf(ConfluenceTimeoutError);
    expect(error).toMatchObject({ attempts: 2, timeoutMs: 50 });
  });

  it('reports an unreachable server as a typed network error after all tries', async () => {
    const client = createConfluenceClient({
      url: `http://127.0.0.1:${await closedPort()}`,
      token,
      retryDelayMs: 5,
    });
    const error = await failureOf(client.getPage('1'));
    expect(error).toBeInstanceOf(ConfluenceNetworkError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 3 });
  });

  it('creates a page once when the answer to the first attempt was lost', async () => {
    const parent = dc.addPage({ title: 'Eltern verloren' });
    dc.addFault({ method: 'POST', path: '/rest/api/content', loseAnswer: true, times: 1 });
    const page = await connect().createPage({
      space: 'AKTIN',
      title: 'Einmal',
      parentId: parent.id,
      body: '<p/>',
    });
    expect(page).toMatchObject({ title: 'Einmal', parentId: parent.id });
    expect(dc.pages().filter((p) => p.title === 'Einmal')).toHaveLength(1);
  });

  it('writes one version when the answer to an update was lost, recognising its own version message', async () => {
    const page = dc.addPage({ title: 'Update verloren' });
    dc.addFault({ method: 'PUT', path: `/rest/api/content/${page.id}`, loseAnswer: true, times: 1 });
    dc.clearRequests();
    const updated = await connect().updatePage({
      id: page.id,
      title: 'Update verloren',
      body: '<p>neu</p>',
      version: 2,
      versionMessage: 'sha256:f00',
    });
    expect(updated.version).toMatchObject({ number: 2, message: 'sha256:f00' });
    expect(dc.page(page.id)?.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(dc.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 0', 'PUT 409', 'GET 200']);
  });

  it('keeps every request of a client within its concurrency limit', async () => {
    const pages = Array.from({ length: 8 }, (_, i) => dc.addPage({ title: `Parallel ${i}` }));
    const remove = dc.addFault({ method: 'GET', path: /^\/rest\/api\/content\/\d+$/, delayMs: 100 });
    for (const concurrency of [2, 8]) {
      dc.clearRequests();
      const client = connect({ concurrency });
      await Promise.all(pages.map((p) => client.getPage(p.id)));
      expect(dc.peakConcurrency).toBe(concurrency);
    }
    remove();
  });
});

it('says so when a 2xx answer is not Confluence JSON, e.g. a proxy login page', async () => {
  const proxy = createHttpServer((_, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<html><body>Please log in</body></html>');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  const error = await failureOf(
    createConfluenceClient({ url: `http://127.0.0.1:${port}`, token }).getPage('1'),
  );
  await new Promise((resolve) => proxy.close(resolve));
  expect(error).toBeInstanceOf(ConfluenceResponseError);
  expect((error as Error).message).toContain('text/html instead of JSON');
});

describe('secrets', () => {
  it('never puts the token or the basic credentials into an error', async () => {
    const page = dc.addPage({ title: 'Geheim' });
    const cloudPage = cloud.addPage({ title: 'Geheim' });
    // a server that echoes the credentials back in its error message
    dc.addFault({ path: `/rest/api/content/${page.id}`, status: 500, message: `bad header Bearer ${token}` });
    const basic = Buffer.from(`${email}:${token}`).toString('base64');
    cloud.addFault({
      path: `/api/v2/pages/${cloudPage.id}`,
      status: 503,
      message: `bad header Basic ${basic}`,
    });
    const errors = [
      await failureOf(connect({ tries: 1 }).getPage(page.id)),
      await failureOf(
        createConfluenceClient({ url: cloud.url, token, email, tries: 1 }).getPage(cloudPage.id),
      ),
      await failureOf(connect({ token: `${token}-wrong` }).getPage(page.id)),
      await failureOf(connect().createPage({ space: 'AKTIN', title: 'Geheim', body: '' })),
      await failureOf(connect().createPage({ space: 'AKTIN', title: 'Schlecht', body: '<p>' })),
      await failureOf(
        createConfluenceClient({ url: `http://127.0.0.1:${await closedPort()}`, token, tries: 1 }).getPage(
          '1',
        ),
      ),
    ];
    expect(errors.every((e) => e instanceof ConfluenceError)).toBe(true);
    for (const error of errors) {
      const everything = [String(error), inspect(error, { depth: 5 }), JSON.stringify(error)].join('\n');
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(basic);
    }
    expect((errors[0] as ConfluenceHttpError).confluenceMessage).toBe('bad header Bearer ***');
  });
});
