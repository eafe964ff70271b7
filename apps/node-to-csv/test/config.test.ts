import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAppCaptured } from '@broker-monitor/test-kit';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/index.js';

/** A stack frame as Node prints it, plain or inside a JSON string. */
const STACK_FRAME = /(\n|\\n)\s+at \S/;

async function configWithBrokerUrl(url: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bm-collect-config-'));
  const config = join(dir, 'settings.toml');
  await writeFile(
    config,
    `[BROKER]\nURL = ${JSON.stringify(url)}\nAPI_KEY = "k"\n[DIR]\nWORKING = "${dir}/work"\n`,
  );
  return config;
}

describe('node-to-csv with an unusable BROKER.URL', () => {
  it.each([
    ['not a url', 'expected an http(s) URL'],
    ['http://u:pass-123@broker.example.org', 'must not contain a user name or password'],
    ['CHANGEME', 'the broker URL is not a URL: "CHANGEME"'],
  ])('%j: exit 2 naming BROKER.URL, with --check too, no stack trace', async (url, reason) => {
    const config = await configWithBrokerUrl(url);
    for (const args of [[config], [config, '--check']]) {
      const run = await runAppCaptured(createApp(), args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`BROKER.URL: ${reason}`);
      expect(run.stdout + run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stdout + run.stderr).not.toContain('pass-123');
    }
  });
});
