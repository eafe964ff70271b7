import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { jsonLogLines, spawnBin, spawnBinOnTerminal } from '@broker-monitor/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AllAppsServers, startAllAppsServers } from './all-apps-servers.js';

/*
 * The apps as a person runs them at a shell (a pseudo-terminal): one short line per node that
 * failed or warned, a summary, ok nodes only at LOG_LEVEL=debug; and the same run piped, as cron
 * runs it, still gives JSON lines.
 */

const OTHER_APPS = ['csv-to-confluence', 'email-service', 'file-backup-service'] as const;

/** A terminal run without colours (NO_COLOR), so that the lines compare as plain text. */
const onTerminal = (app: string, logLevel: string) =>
  spawnBinOnTerminal(app, [config], { LOG_LEVEL: logLevel, NO_COLOR: '1' });

/** What a person sees, one entry per screen line: the progress bar's redraws are gone. */
function screenLines(output: string): string[] {
  return output
    .replaceAll('\r\n', '\n')
    .replaceAll('\x1b[K', '')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .filter((line) => line.trim() !== '');
}

let servers: AllAppsServers;
let config: string;

beforeAll(async () => {
  servers = await startAllAppsServers({
    brokerKey: 'geheim-broker-key',
    mapping: {
      '1': { COMMON_NAME: 'Klinikum Eins' },
      '3': { COMMON_NAME: 'Klinikum Drei' },
      '9': { COMMON_NAME: 'Klinikum Neun' },
    },
  });
  config = servers.config;
  const { broker } = servers;
  broker.addNode({ id: 1 });
  broker.uploadStats(1, {
    start: '2026-01-01T00:00:00+01:00',
    imported: 5,
    updated: 0,
    invalid: 0,
    failed: 0,
  });
  broker.addNode({ id: 2 });
  broker.addNode({ id: 3 });
  broker.addFault({ nodeId: 3, resource: 'stats' }, { kind: 'malformed' });
});
afterAll(() => servers.close());

describe('node-to-csv on a terminal', () => {
  it('shows one line per failed or warned node with id, name and reason, then the summary', async () => {
    const run = await onTerminal('node-to-csv', 'info');
    const lines = screenLines(run.output);
    expect(run.code).toBe(1);
    // No JSON and no pretty-printed object spread over several lines.
    expect(lines.filter((line) => /^\s*[{}]|^\s+\w+: /.test(line))).toEqual([]);
    expect(lines.filter((line) => / node 3 /.test(line))).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d ERROR node 3 \(Klinikum Drei\): failed: \S/),
    ]);
    expect(lines.filter((line) => / node 2/.test(line))).toEqual([
      expect.stringMatching(
        /^\d\d:\d\d:\d\d WARN {2}node 2: the node never uploaded import statistics \(404\)/,
      ),
    ]);
    expect(lines.some((line) => / node 1\b/.test(line))).toBe(false);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d run finished in \\d+\\.\\d s: 1 ok, 1 warnings, 1 failed \\(exit 1\\); every line as JSON: node-to-csv ${config} \\| cat$`,
      ),
    );
    expect(lines).toHaveLength(3);
    expect(run.output).not.toContain('geheim-broker-key');
  });

  it('shows each ok node too at LOG_LEVEL=debug', async () => {
    const lines = screenLines((await onTerminal('node-to-csv', 'debug')).output);
    expect(lines.filter((line) => / node 1 /.test(line))).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d INFO {2}node 1 \(Klinikum Eins\): ok$/),
    ]);
  });

  it('piped, as under cron, writes the JSON lines: one per node and the summary', async () => {
    const run = await spawnBin('node-to-csv', [config], { LOG_LEVEL: 'info' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(jsonLogLines(run.stdout)).toHaveLength(lines.length);
    expect(jsonLogLines(run.stdout).map((line) => [line.node, line.outcome])).toEqual(
      expect.arrayContaining([
        ['1', 'ok'],
        ['2', 'warning'],
        ['3', 'failed'],
      ]),
    );
  });
});

describe('node-to-csv under cron', () => {
  /** The run's lines with what differs between runs (clock, process, ports, temp folder) named instead. */
  function comparable(stdout: string, brokerUrl: string, dir: string): string {
    const varying = new Set(['time', 'pid', 'hostname', 'durationMs', 'statsRow']);
    const lines = stdout.trimEnd().split('\n');
    return `${lines
      .map((line) =>
        line
          .replaceAll(brokerUrl, '<broker>')
          .replaceAll(dir, '<working>')
          .replaceAll(/"(\w+)":("[^"]*"|\d+)/g, (field, key: string) =>
            varying.has(key) ? `"${key}":"<${key}>"` : field,
          ),
      )
      .join('\n')}\n`;
  }

  it('piped, writes the same JSON lines as before the terminal view existed', async () => {
    const cronBroker = await startBrokerEmulator({ adminKey: 'k' });
    try {
      cronBroker.addNode({ id: 1 });
      cronBroker.uploadStats(1, {
        start: '2026-01-01T00:00:00+01:00',
        imported: 5,
        updated: 1,
        invalid: 1,
        failed: 0,
      });
      cronBroker.uploadProperties(1, 'versions', { 'dwh-j2ee': 'dwh-j2ee-1.5.1' });
      cronBroker.addNode({ id: 2 });
      cronBroker.addNode({ id: 3 });
      cronBroker.addFault({ nodeId: 3, resource: 'stats' }, { kind: 'malformed' });
      const dir = await mkdtemp(join(tmpdir(), 'bm-cron-lines-'));
      await writeFile(
        join(dir, 'settings.toml'),
        `[BROKER]\nURL = "${cronBroker.url}"\nAPI_KEY = "k"\nCONCURRENCY = 1\n[DIR]\nWORKING = "${dir}"\n`,
      );
      const run = await spawnBin('node-to-csv', [join(dir, 'settings.toml')], { LOG_LEVEL: 'debug' });
      // Written by main's bin before the terminal view existed (31816fb): piped lines must not change.
      await expect(comparable(run.stdout, cronBroker.url, dir)).toMatchFileSnapshot(
        'fixtures/node-to-csv-cron.jsonl',
      );
    } finally {
      await cronBroker.close();
    }
  });
});

describe.each(OTHER_APPS)('%s on a terminal', (app) => {
  it('shows the node without a folder on one line with its name, and the summary', async () => {
    const run = await onTerminal(app, 'info');
    const lines = screenLines(run.output);
    expect(lines.filter((line) => line.includes('{') || /^\s/.test(line))).toEqual([]);
    expect(lines.filter((line) => / node 9 /.test(line))).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d WARN {2}node 9 \(Klinikum Neun\): no folder /),
    ]);
    expect(lines.at(-1)).toMatch(
      /^\d\d:\d\d:\d\d run finished in \d+\.\d s: \d+ ok, \d+ warnings, \d+ failed \(exit \d\); every line as JSON: /,
    );
    expect(run.output).not.toContain(servers.confluence.token);
  });
});
