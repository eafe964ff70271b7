import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyTooLargeError } from '../src/collect-response.js';
import { type ConnectionPool, createConnectionPool } from '../src/connection-pool.js';
import { HttpResponseError } from '../src/response-parser.js';

let server: Server;
let origin: string;
let pool: ConnectionPool;
let connections = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/declared') {
      response.writeHead(200, { 'content-length': '2000' });
      response.end('x'.repeat(2000));
    } else if (request.url === '/streamed') {
      // No content-length: chunked, so only the bytes received can tell.
      response.writeHead(200);
      response.write('x'.repeat(600));
      setTimeout(() => response.end('x'.repeat(600)), 10);
    } else if (request.url === '/missing') {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not here'.repeat(500));
    } else if (request.url === '/chunked') {
      response.writeHead(200, { trailer: 'x-sum' });
      response.write('<a>');
      setTimeout(() => {
        response.addTrailers({ 'x-sum': '7' });
        response.end('</a>');
      }, 5);
    } else if (request.url === '/close') {
      response.writeHead(200, { connection: 'close', 'content-length': '3' });
      response.end('bye');
    } else if (request.url === '/unchanged') {
      response.writeHead(304);
      response.end();
    } else if (request.url === '/stall') {
      response.writeHead(200);
      response.write('first half');
    } else {
      response.writeHead(200, { 'last-modified': 'Mon, 07 Dec 2026 10:00:00 GMT', 'x-twice': ['a', 'b'] });
      response.end(`${request.method} ${request.url} ${request.headers.authorization ?? '-'}`);
    }
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = createConnectionPool(undefined);
});
afterAll(async () => {
  await pool.close();
  server.closeAllConnections();
  server.close();
});

const get = (path: string, extra: Partial<Parameters<ConnectionPool['collect']>[0]> = {}) =>
  pool.collect({
    origin,
    path,
    method: 'GET',
    headers: { authorization: 'Bearer k' },
    maxBodyBytes: 1000,
    ...extra,
  });

describe('ConnectionPool.collect', () => {
  it('gives the status, the headers by lower-case name and the whole body', async () => {
    const response = await get('/node/3?x=1');
    expect(response.statusCode).toBe(200);
    expect(response.headers['last-modified']).toBe('Mon, 07 Dec 2026 10:00:00 GMT');
    expect(response.headers['x-twice']).toEqual(['a', 'b']);
    expect(response.body.toString()).toBe('GET /node/3?x=1 Bearer k');
  });

  it('refuses a body declared longer than the limit, and one that grows past it', async () => {
    for (const path of ['/declared', '/streamed']) {
      const error = await get(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BodyTooLargeError);
      expect(error).toMatchObject({ statusCode: 200, maxBodyBytes: 1000 });
    }
    // The pool is still usable afterwards.
    expect((await get('/after')).statusCode).toBe(200);
  });

  it('drops the body of a status the caller does not want, however long', async () => {
    const response = await get('/missing', { keepBody: (status) => status === 200 });
    expect(response.statusCode).toBe(404);
    expect(response.body.byteLength).toBe(0);
  });

  it('ends a stalled answer with the reason of its signal', async () => {
    const controller = new AbortController();
    const pending = get('/stall', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('deadline')), 30);
    await expect(pending).rejects.toThrow('deadline');
  });

  it('does not send a request whose signal has already aborted', async () => {
    const reason = new Error('too late');
    await expect(get('/never', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('reports a refused connection with its system error code', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const error = await pool
      .collect({
        origin: `http://127.0.0.1:${port}`,
        path: '/',
        method: 'GET',
        headers: {},
        maxBodyBytes: 10,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('keeps one connection for requests in turn, also after HEAD, 304 and a chunked answer', async () => {
    const before = connections;
    expect((await get('/one')).body.toString()).toBe('GET /one Bearer k');
    expect((await get('/head', { method: 'HEAD' })).body.byteLength).toBe(0);
    expect((await get('/unchanged')).statusCode).toBe(304);
    expect((await get('/chunked')).body.toString()).toBe('<a></a>');
    expect((await get('/two')).body.toString()).toBe('GET /two Bearer k');
    expect(connections - before).toBe(1);
  });

  it('opens a new connection after an answer that closed its own', async () => {
    await get('/open');
    const before = connections;
    expect((await get('/close')).body.toString()).toBe('bye');
    expect((await get('/next')).statusCode).toBe(200);
    expect(connections - before).toBe(1);
  });

  it('refuses a header value or path that would break the request, before connecting', async () => {
    const before = connections;
    await expect(get('/x', { headers: { authorization: 'Bearer k\r\nx-evil: 1' } })).rejects.toThrow(
      /invalid value of request header authorization/,
    );
    await expect(get('/a b')).rejects.toThrow(/invalid request path/);
    expect(connections).toBe(before);
  });
});

describe('ConnectionPool.collect against a hand-written server', () => {
  let raw: ReturnType<typeof createTcpServer>;
  let rawOrigin: string;
  let answer: (socket: Socket) => void;
  let rawConnections = 0;

  beforeAll(async () => {
    raw = createTcpServer((socket) => {
      rawConnections += 1;
      socket.once('data', () => answer(socket));
    });
    raw.listen(0, '127.0.0.1');
    await once(raw, 'listening');
    rawOrigin = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  });
  afterAll(() => raw.close());

  const rawGet = (path = '/') =>
    pool.collect({ origin: rawOrigin, path, method: 'GET', headers: {}, maxBodyBytes: 1000 });

  it('reads a body without length until the server closes', async () => {
    answer = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\nuntil ');
      setTimeout(() => socket.end('the end'), 5);
    };
    expect((await rawGet()).body.toString()).toBe('until the end');
  });

  it('forgets an idle connection the server closed, and the next request opens a new one', async () => {
    answer = (socket) => {
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    };
    const before = rawConnections;
    expect((await rawGet()).body.toString()).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await rawGet()).body.toString()).toBe('ok');
    expect(rawConnections - before).toBe(2);
  });

  it('fails a malformed answer and one cut off, naming what was wrong', async () => {
    // The server closed the last connection; let that arrive rather than race it.
    await new Promise((resolve) => setTimeout(resolve, 30));
    answer = (socket) => socket.end('HTTP/1.1 OK\r\n\r\n');
    const malformed = await rawGet().catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(HttpResponseError);
    expect(malformed).toMatchObject({ code: 'HTTP_MALFORMED_RESPONSE', message: /invalid status line/ });
    answer = (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\nonly this');
    expect(await rawGet().catch((e: unknown) => e)).toMatchObject({ code: 'HTTP_INCOMPLETE_RESPONSE' });
  });

  it('does not reuse a connection whose server sent more than one answer', async () => {
    answer = (socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n');
    const before = rawConnections;
    await rawGet();
    answer = (socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    await rawGet();
    expect(rawConnections - before).toBe(2);
  });
});
