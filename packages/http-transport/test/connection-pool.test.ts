import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testCert, testCertPath, testKey } from '@broker-monitor/test-certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionPool } from '../src/connection-pool.js';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer({ key: testKey, cert: testCert }, (_request, response) => response.end('tls ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

type Dispatcher = NonNullable<RequestInit['dispatcher']>;

describe('createConnectionPool', () => {
  it('trusts the CA bundle in addition to the root certificates', async () => {
    const pool = createConnectionPool(testCertPath);
    const dispatcher = (await pool.get()) as unknown as Dispatcher;
    expect(await (await fetch(url, { dispatcher })).text()).toBe('tls ok');
    await pool.close();
  });

  it('without a bundle trusts only the root certificates', async () => {
    const pool = createConnectionPool(undefined);
    const dispatcher = (await pool.get()) as unknown as Dispatcher;
    const error = await fetch(url, { dispatcher }).catch((e: unknown) => e);
    expect((error as Error).cause).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    await pool.close();
  });

  it('collects over TLS trusting the bundle, and fails without it with the TLS error code', async () => {
    const { origin } = new URL(url);
    const request = { origin, path: '/', method: 'GET', headers: {}, maxBodyBytes: 100 } as const;
    const trusting = createConnectionPool(testCertPath);
    expect((await trusting.collect(request)).body.toString()).toBe('tls ok');
    expect((await trusting.collect(request)).body.toString()).toBe('tls ok');
    await trusting.close();
    const plain = createConnectionPool(undefined);
    await expect(plain.collect(request)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    await plain.close();
  });

  it('reads the bundle at once, so an unreadable one fails before any request', () => {
    expect(() => createConnectionPool('/nonexistent/ca.pem')).toThrow(/ENOENT/);
  });

  it('closes without ever having made the agent', async () => {
    await expect(createConnectionPool(testCertPath).close()).resolves.toBeUndefined();
  });
});
