import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConfluenceEmulator,
  type ConfluenceFlavour,
  startConfluenceEmulator,
} from '@broker-monitor/confluence-emulator';
import { runAppCaptured } from '@broker-monitor/test-kit';
import { createApp } from '../src/index.js';

export const flavours: { name: string; flavour: ConfluenceFlavour }[] = [
  { name: 'Data Center', flavour: 'datacenter' },
  { name: 'Cloud', flavour: 'cloud' },
];

export const PARENT = 'Support Log Broker-Monitor';

/** A node of the test mapping; `files` absent means the node has no folder. */
export interface TestNode {
  id: string;
  commonName: string;
  files?: Record<string, string | Buffer>;
}

export interface Workspace {
  emulator: ConfluenceEmulator;
  working: string;
  config: string;
  /** Rewrites the config, e.g. with a wrong token or another space. */
  writeConfig(overrides?: Record<string, string | number>): Promise<void>;
  run(...flags: string[]): Promise<RunResult>;
  /** Requests since the last clearRequests, as `METHOD path` without the Cloud `/wiki`. */
  requests(): string[];
  close(): Promise<void>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The JSON log lines of stdout. */
  lines: Record<string, unknown>[];
}

export async function startWorkspace(flavour: ConfluenceFlavour, nodes: TestNode[]): Promise<Workspace> {
  const emulator = await startConfluenceEmulator({ flavour });
  const working = await mkdtemp(join(tmpdir(), 'bm-backup-'));
  const mapping = join(working, 'mapping.json');
  const config = join(working, 'settings.toml');
  // Written by hand so the file keeps the mapping's order (node ids are digit strings).
  const entries = nodes.map(
    (n) => `${JSON.stringify(n.id)}: {"COMMON_NAME": ${JSON.stringify(n.commonName)}}`,
  );
  await writeFile(mapping, `{${entries.join(', ')}}`);
  for (const node of nodes) {
    if (node.files === undefined) continue;
    await mkdir(join(working, node.id), { recursive: true });
    for (const [name, content] of Object.entries(node.files)) {
      await writeFile(join(working, node.id, name), content);
    }
  }
  const writeConfig = async (overrides: Record<string, string | number> = {}) => {
    const confluence: Record<string, string | number> = {
      URL: emulator.url,
      SPACE: 'AKTIN',
      TOKEN: emulator.token,
      MAPPING_JSON: mapping,
      ...(emulator.email === undefined ? {} : { EMAIL: emulator.email }),
      ...overrides,
    };
    const lines = Object.entries(confluence).map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
    await writeFile(
      config,
      `[DIR]\nWORKING = ${JSON.stringify(working)}\n\n[CONFLUENCE]\n${lines.join('\n')}\n`,
    );
  };
  await writeConfig();
  return {
    emulator,
    working,
    config,
    writeConfig,
    run: (...flags) => runBackupApp([config, ...flags]),
    requests: () => emulator.requests.map((r) => `${r.method} ${r.path.replace(/^\/wiki/, '')}`),
    async close() {
      // A test may have stopped the emulator already to make Confluence unreachable.
      await emulator.close().catch(() => undefined);
      await rm(working, { recursive: true, force: true });
    },
  };
}

export async function runBackupApp(argv: string[]): Promise<RunResult> {
  const run = await runAppCaptured(
    createApp({ now: () => new Date('2025-03-01T06:00:00Z'), retryDelayMs: 1 }),
    argv,
  );
  return { code: run.code, stdout: run.stdout, stderr: run.stderr, lines: run.logs };
}

/** The log line of one node's outcome. */
export function nodeLine(result: RunResult, nodeId: string): Record<string, unknown> | undefined {
  return result.lines.find((line) => line.node === nodeId && typeof line.outcome === 'string');
}

export function summaryLine(result: RunResult): Record<string, unknown> | undefined {
  return result.lines.find((line) => line.summary === true);
}
