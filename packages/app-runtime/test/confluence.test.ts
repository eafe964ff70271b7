import { ConfigError } from '@broker-monitor/config';
import { type ConfluenceClient, ConfluenceTimeoutError } from '@broker-monitor/confluence-client';
import { type ConfluenceEmulator, startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import { testCertPath } from '@broker-monitor/test-certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfluenceAppConfig, confluenceStartFailure, openConfluence } from '../src/confluence.js';
import { ServiceUnavailableError } from '../src/exit-codes.js';

type Settings = ConfluenceAppConfig['confluence'] & { caBundlePath?: string; retryDelayMs?: number };

/** The settings as loadConfig gives them (defaults filled in), in an app's config. */
function openWith({ caBundlePath, retryDelayMs, ...confluence }: Partial<Settings>) {
  return openConfluence(
    {
      file: '/etc/bm.toml',
      confluence: { timeoutSeconds: 30, concurrency: 8, ...confluence },
      requestsCaBundle: caBundlePath,
    },
    { retryDelayMs },
  );
}

let dc: ConfluenceEmulator;
let cloud: ConfluenceEmulator;

beforeAll(async () => {
  dc = await startConfluenceEmulator({ spaces: ['AKTIN'] });
  cloud = await startConfluenceEmulator({ flavour: 'cloud', spaces: ['AKTIN'] });
});
afterAll(async () => {
  await dc.close();
  await cloud.close();
});

describe('openConfluence', () => {
  it('builds the client from the CONFLUENCE settings, SPACE as the space of new pages', async () => {
    const {
      client,
      space,
      cloud: isCloud,
    } = openWith({
      url: dc.url,
      space: 'AKTIN',
      token: dc.token,
      timeoutSeconds: 30,
      concurrency: 2,
      caBundlePath: testCertPath,
    });
    expect({ space, isCloud }).toEqual({ space: 'AKTIN', isCloud: false });
    const created = await client.createPage({ title: 'Neu', body: '<p>x</p>' });
    expect(dc.findPage('Neu', 'AKTIN')?.id).toBe(created.id);
    await client.close();
  });

  it('uses basic auth for Confluence Cloud (CONFLUENCE.EMAIL set)', async () => {
    const page = cloud.addPage({ title: 'Wolke', spaceKey: 'AKTIN' });
    const connection = openWith({
      url: cloud.url,
      space: 'AKTIN',
      token: cloud.token,
      email: cloud.email,
    });
    expect(connection.cloud).toBe(true);
    expect((await connection.client.findPage('AKTIN', 'Wolke'))?.id).toBe(page.id);
  });

  it('takes TIMEOUT_SECONDS in seconds', async () => {
    const page = dc.addPage({ title: 'Langsam' });
    const remove = dc.addFault({ path: `/rest/api/content/${page.id}`, delayMs: 300 });
    try {
      const { client } = openWith({
        url: dc.url,
        space: 'AKTIN',
        token: dc.token,
        timeoutSeconds: 0.05,
        retryDelayMs: 5,
      });
      const error = await client.getPage(page.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfluenceTimeoutError);
      expect(error).toMatchObject({ timeoutMs: 50 });
    } finally {
      remove();
    }
  });

  it.each<[string, Partial<Settings>, string]>([
    ['no URL', { url: undefined }, 'CONFLUENCE.URL'],
    ['no SPACE', { space: undefined }, 'CONFLUENCE.SPACE'],
    ['no TOKEN', { token: undefined }, 'CONFLUENCE.TOKEN'],
    ['a URL that is not http(s)', { url: 'ftp://confluence.example.org' }, 'CONFLUENCE.URL'],
    ['a URL with credentials', { url: 'https://me:pw@confluence.example.org' }, 'CONFLUENCE.URL'],
    ['an unreadable CA bundle', { caBundlePath: '/nonexistent/ca.pem' }, 'REQUESTS_CA_BUNDLE'],
  ])('names the key to fix for %s', (_case, change, key) => {
    const settings = { url: 'https://confluence.example.org', space: 'AKTIN', token: 'pat-1', ...change };
    const error = (() => {
      try {
        openWith(settings);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([key]);
    expect(String((error as Error).message)).not.toContain('pw');
  });
});

describe('confluenceStartFailure on Cloud', () => {
  const failureOf = async (settings: Partial<Settings>, first: (c: ConfluenceClient) => Promise<unknown>) => {
    const connection = openWith({ space: 'AKTIN', retryDelayMs: 5, ...settings });
    try {
      const error = await first(connection.client).then(
        () => new Error('expected a failure'),
        (e: unknown) => e,
      );
      return confluenceStartFailure(error, connection);
    } finally {
      await connection.client.close();
    }
  };

  it('names CONFLUENCE.EMAIL and CONFLUENCE.TOKEN for a wrong e-mail or token', async () => {
    for (const wrong of [{ email: 'other@example.org' }, { token: 'wrong-token' }]) {
      const error = await failureOf(
        { url: cloud.url, token: cloud.token, email: cloud.email, ...wrong },
        (c) => c.findPage('AKTIN', 'Support'),
      );
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as ServiceUnavailableError).configKey).toBe('CONFLUENCE.EMAIL and CONFLUENCE.TOKEN');
    }
  });

  it('names CONFLUENCE.SPACE for a space key Cloud does not know', async () => {
    const error = await failureOf(
      { url: cloud.url, token: cloud.token, email: cloud.email, space: 'NOPE' },
      (c) => c.findPage('NOPE', 'Support'),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).configKey).toBe('CONFLUENCE.SPACE');
    expect((error as Error).message).toContain('NOPE');
  });

  it('says to set CONFLUENCE.EMAIL when a Cloud site is configured without it', async () => {
    const error = await failureOf({ url: `${cloud.url}/wiki`, token: cloud.token }, (c) =>
      c.findPage('AKTIN', 'Support'),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toContain('set CONFLUENCE.EMAIL');
  });

  it('keeps CONFLUENCE.TOKEN alone for a wrong Data Center token', async () => {
    const error = await failureOf({ url: dc.url, token: 'wrong' }, (c) => c.findPage('AKTIN', 'Support'));
    expect((error as ServiceUnavailableError).configKey).toBe('CONFLUENCE.TOKEN');
    expect((error as Error).message).not.toContain('CONFLUENCE.EMAIL');
  });
});
