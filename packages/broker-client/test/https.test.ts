import { type BrokerEmulator, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { testCertPath } from '@broker-monitor/test-certs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BrokerNetworkError, createBrokerClient } from '../src/index.js';

const KEY = 'tls-admin-key';
let broker: BrokerEmulator;

beforeAll(async () => {
  broker = await startBrokerEmulator({ adminKey: KEY, https: true });
  broker.addNode({ id: 4, clientDN: 'CN=TLS', lastContact: new Date('2025-03-10T06:00:00Z') });
});

afterAll(async () => {
  await broker.close();
});

it('trusts a self-signed broker through caBundlePath (REQUESTS_CA_BUNDLE)', async () => {
  const client = createBrokerClient({ url: broker.url, apiKey: KEY, caBundlePath: testCertPath });
  try {
    await client.checkStatus();
    expect(await client.listNodes()).toEqual([
      { id: '4', clientDN: 'CN=TLS', lastContact: '2025-03-10T06:00:00Z' },
    ]);
  } finally {
    await client.close();
  }
});

it('refuses the same broker without the bundle, and does not retry a certificate error forever', async () => {
  const client = createBrokerClient({ url: broker.url, apiKey: KEY, retryDelayMs: 1 });
  try {
    const error = await client.listNodes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerNetworkError);
    expect((error as BrokerNetworkError).code).toMatch(/CERT|SELF_SIGNED/);
  } finally {
    await client.close();
  }
});

it('fails clearly when the bundle file does not exist', () => {
  expect(() =>
    createBrokerClient({ url: broker.url, apiKey: KEY, caBundlePath: '/nonexistent/ca-bundle.pem' }),
  ).toThrow(/ENOENT/);
});
