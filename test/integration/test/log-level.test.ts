import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerEmulator, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import {
  type ConfluenceEmulator,
  contactsPageBody,
  startConfluenceEmulator,
} from '@broker-monitor/confluence-emulator';
import { type SmtpTestServer, startSmtpTestServer } from '@broker-monitor/smtp-test-server';
import { testCertPath } from '@broker-monitor/test-certs';
import { jsonLogLines, spawnBin } from '@broker-monitor/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The apps as cron runs them (stdout and stderr pipes, no terminal), with every LOG_LEVEL a
 * crontab may hold: each run ends with its summary line or a usage error, never a stack trace.
 */

const APPS = ['node-to-csv', 'csv-to-confluence', 'email-service', 'file-backup-service'] as const;

const runBin = (app: string, config: string, logLevel: string) =>
  spawnBin(app, [config], { LOG_LEVEL: logLevel });

/** A stack frame as Node prints it, plain or inside a JSON string. */
const STACK_FRAME = /(\n|\\n)\s+at \S/;

let broker: BrokerEmulator;
let confluence: ConfluenceEmulator;
let smtp: SmtpTestServer;
let config: string;

beforeAll(async () => {
  broker = await startBrokerEmulator({ adminKey: 'k' });
  confluence = await startConfluenceEmulator({ flavour: 'datacenter' });
  confluence.addPage({ title: 'Support' });
  confluence.addPage({ title: 'E-Mail-Verteiler', body: contactsPageBody([]) });
  smtp = await startSmtpTestServer({ mode: 'implicit-tls', users: { monitor: 'p' } });
  const dir = await mkdtemp(join(tmpdir(), 'bm-log-level-'));
  config = join(dir, 'settings.toml');
  await writeFile(join(dir, 'mapping.json'), '{}');
  await writeFile(
    config,
    [
      `REQUESTS_CA_BUNDLE = "${testCertPath}"`,
      `[BROKER]\nURL = "${broker.url}"\nAPI_KEY = "k"`,
      `[DIR]\nWORKING = "${dir}"`,
      `[CONFLUENCE]\nURL = "${confluence.url}"\nSPACE = "AKTIN"\nTOKEN = "${confluence.token}"\nMAPPING_JSON = "${dir}/mapping.json"`,
      `[SMTP]\nSERVER = "${smtp.server}"\nUSERNAME = "monitor"\nPASSWORD = "p"`,
      `[AKTIN]\nDWH_VERSION = "1.5.1"\nI2B2_VERSION = "1.5.3"`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await Promise.all([broker.close(), confluence.close(), smtp.close()]);
});

describe.each(APPS)('%s under cron', (app) => {
  it.each(['', 'warn', 'error', 'debug'])('writes its summary line with LOG_LEVEL=%j', async (level) => {
    const result = await runBin(app, config, level);
    expect(result.stdout + result.stderr).not.toMatch(STACK_FRAME);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(jsonLogLines(result.stdout).filter((line) => line.summary === true)).toHaveLength(1);
  });

  it('refuses LOG_LEVEL=warning as a usage error naming LOG_LEVEL and the accepted levels', async () => {
    const result = await runBin(app, config, 'warning');
    expect(result.stdout + result.stderr).not.toMatch(STACK_FRAME);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'LOG_LEVEL "warning" is not a level; use one of fatal, error, warn, info, debug, trace',
    );
  });
});
