import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerEmulator, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { openStore } from '@broker-monitor/csv-store';
import { spawnBin } from '@broker-monitor/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APPS = ['node-to-csv', 'csv-to-confluence', 'email-service', 'file-backup-service'] as const;

const runBin = (app: string, args: string[]) => spawnBin(app, args, { LOG_LEVEL: 'info' });

let broker: BrokerEmulator;
beforeAll(async () => {
  broker = await startBrokerEmulator({ adminKey: 'k' });
});
afterAll(() => broker.close());

async function workingConfig(): Promise<{ dir: string; config: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'bm-cli-'));
  const config = join(dir, 'settings.toml');
  await writeFile(
    config,
    `[BROKER]\nURL = "${broker.url}"\nAPI_KEY = "k"\n[DIR]\nWORKING = "${dir}"\nCONTACTS = "${dir}/contacts.csv"\n[CONFLUENCE]\nMAPPING_JSON = "${dir}/mapping.json"\n[SMTP]\nSERVER = "127.0.0.1:9"\nUSERNAME = "u"\nPASSWORD = "p"\nSTATIC_RECIPIENTS = []\n[AKTIN]\nDWH_VERSION = "1.5.1"\nI2B2_VERSION = "1.5.3"\n`,
  );
  return { dir, config };
}

describe.each(APPS)('%s command line', (app) => {
  it('prints usage and exits 2 without an argument', async () => {
    const result = await runBin(app, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Usage: ${app} <path/to/config.toml>`);
  });

  it('names the missing config file and exits 2', async () => {
    const result = await runBin(app, ['/nonexistent/settings.toml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/nonexistent/settings.toml: cannot load config');
    expect(result.stderr).toContain('file not found');
  });

  it('shows its version', async () => {
    const result = await runBin(app, ['--version']);
    expect(result.code).not.toBe(3);
    expect(result.stdout).toMatch(new RegExp(`^${app} \\d+\\.\\d+\\.\\d+\\n$`));
  });
});

describe.each(['node-to-csv', 'email-service'])('%s lock', (app) => {
  it('exits 3 while another run holds the lock of the working directory', async () => {
    const { dir, config } = await workingConfig();
    const lock = await openStore(dir).lock('test', new Date());
    try {
      const result = await runBin(app, [config]);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(`held by process ${process.pid}`);
    } finally {
      await lock.release();
    }
  });

  it('takes over the lock of a killed run', async () => {
    const { dir, config } = await workingConfig();
    const lock = await openStore(dir).lock('test', new Date());
    const dead = Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
    await writeFile(
      lock.file,
      JSON.stringify({ pid: dead, host: hostname(), app: app, startedAt: 'earlier' }),
    );
    const result = await runBin(app, [config]);
    expect(result.stdout).toContain('took over the lock of a run that is gone');
    expect(result.code).not.toBe(3);
    expect(lock.file).toBe(join(dir, '.broker-monitor', 'run.lock'));
  });
});
