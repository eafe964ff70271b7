import { jsonLogLines, spawnBin } from '@broker-monitor/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AllAppsServers, startAllAppsServers } from './all-apps-servers.js';

/*
 * The apps as cron runs them (stdout and stderr pipes, no terminal), with every LOG_LEVEL a
 * crontab may hold: each run ends with its summary line or a usage error, never a stack trace.
 */

const APPS = ['node-to-csv', 'csv-to-confluence', 'email-service', 'file-backup-service'] as const;

const runBin = (app: string, config: string, logLevel: string) =>
  spawnBin(app, [config], { LOG_LEVEL: logLevel });

/** A stack frame as Node prints it, plain or inside a JSON string. */
const STACK_FRAME = /(\n|\\n)\s+at \S/;

let servers: AllAppsServers;
let config: string;

beforeAll(async () => {
  servers = await startAllAppsServers({ brokerKey: 'k', mapping: {} });
  config = servers.config;
});
afterAll(() => servers.close());

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
