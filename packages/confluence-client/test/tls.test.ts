import { type ConfluenceEmulator, startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import { testCert, testCertPath, testKey } from '@broker-monitor/test-certs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfluenceNetworkError, createConfluenceClient } from '../src/index.js';

let emulator: ConfluenceEmulator;

beforeAll(async () => {
  emulator = await startConfluenceEmulator({ tls: { key: testKey, cert: testCert } });
});
afterAll(async () => {
  await emulator.close();
});

it('trusts a self-signed server through caBundlePath (REQUESTS_CA_BUNDLE), and only then', async () => {
  const page = emulator.addPage({ title: 'Verschlüsselt' });
  expect(emulator.url.startsWith('https://')).toBe(true);

  const trusting = createConfluenceClient({
    url: emulator.url,
    token: emulator.token,
    caBundlePath: testCertPath,
  });
  expect((await trusting.getPage(page.id)).title).toBe('Verschlüsselt');
  await trusting.close();

  const plain = createConfluenceClient({ url: emulator.url, token: emulator.token, tries: 1 });
  const error = await plain.getPage(page.id).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfluenceNetworkError);
  expect((error as ConfluenceNetworkError).code).toMatch(/CERT|SIGNED/);
});

it('says which CA bundle it cannot read', () => {
  expect(() =>
    createConfluenceClient({ url: emulator.url, token: emulator.token, caBundlePath: '/nonexistent/ca.pem' }),
  ).toThrow(/\/nonexistent\/ca\.pem/);
});
