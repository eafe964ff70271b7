import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyTooLargeError } from '../src/collect-response.js';
import { type ConnectionPool, createConnectionPool } from '../src/connection-pool.js';

let server: Server;
let origin: string;
let pool: ConnectionPool;

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
    } else if (request.url === '/stall') {
      response.writeHead(200);
      response.write('first half');
    } else {
      response.writeHead(200, { 'last-modified': 'Mon, 07 Dec 2026 10:00:00 GMT', 'x-twice': ['a', 'b'] });
      response.end(`${request.method} ${request.url} ${request.headers.authorization ?? '-'}`);
    }
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

  it('reports a refused connection as undici names it', async () => {
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
});
