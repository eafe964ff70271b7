import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../dist/cli.js', import.meta.url).pathname;
const run = promisify(execFile);

// Told at exit: the node flags the process ran with.
const REPORT = `data:text/javascript,${encodeURIComponent(
  `process.on('exit', () => process.stderr.write(JSON.stringify({ execArgv: process.execArgv }) + '\\n'));`,
)}`;

async function startedAsNode(
  nodeFlags: string[],
  args: string[],
): Promise<{ stdout: string; flags: string[] }> {
  const { stdout, stderr } = await run(process.execPath, [...nodeFlags, BIN, ...args], {
    env: { ...process.env, NODE_OPTIONS: `--import=${REPORT}` },
  });
  const report = JSON.parse(stderr.trim().split('\n').at(-1) ?? '{}') as { execArgv: string[] };
  return { stdout, flags: report.execArgv };
}

describe('the bin started as `node dist/cli.js`', () => {
  it('runs with the heap flags of its shebang', async () => {
    const { stdout, flags } = await startedAsNode([], ['--version']);
    expect(stdout).toMatch(/^node-to-csv \d+\.\d+\.\d+/);
    expect(flags).toEqual(expect.arrayContaining(['--max-semi-space-size=16', '--max-old-space-size=512']));
  });

  it('keeps a flag given by hand', async () => {
    const { stdout, flags } = await startedAsNode(['--max-old-space-size=300'], ['--version']);
    expect(stdout).toMatch(/^node-to-csv /);
    expect(flags).toContain('--max-old-space-size=300');
    expect(flags).not.toContain('--max-old-space-size=512');
    expect(flags).toContain('--max-semi-space-size=16');
  });
});
