import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { missingNodeFlags } from '../dist/heap-flags.js';

const FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=512'] as const;

describe('missingNodeFlags', () => {
  it('leaves out the flags given, whatever their value or spelling', () => {
    expect(missingNodeFlags(FLAGS, [])).toEqual(FLAGS);
    expect(missingNodeFlags(FLAGS, ['--max_old_space_size=2048', '--inspect'])).toEqual([
      '--max-semi-space-size=4',
    ]);
    expect(missingNodeFlags(FLAGS, [...FLAGS])).toEqual([]);
  });
});

/** A script that imports ensureNodeFlags from the built module, then runs `lines`. */
async function scriptCalling(lines: string[]): Promise<string> {
  const script = join(await mkdtemp(join(tmpdir(), 'heap-flags-')), 'script.mjs');
  const module = pathToFileURL(join(import.meta.dirname, '../dist/heap-flags.js')).href;
  await writeFile(
    script,
    [`import { ensureNodeFlags } from ${JSON.stringify(module)};`, ...lines].join('\n'),
  );
  return script;
}

describe('ensureNodeFlags', () => {
  it('re-executes a script started without the flags in the same process, arguments and exit code kept', async () => {
    const script = await scriptCalling([
      `ensureNodeFlags(${JSON.stringify(FLAGS)});`,
      'const v8 = await import("node:v8");',
      'console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, args: process.argv.slice(2),',
      '  limitMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20 }));',
      'process.exitCode = 7;',
    ]);
    for (const execArgv of [[], ['--max-old-space-size=300']]) {
      const child = spawnSync(process.execPath, [...execArgv, script, 'a b', '--c'], { encoding: 'utf8' });
      expect(child.status).toBe(7);
      expect(child.stderr).toBe('');
      const seen = JSON.parse(child.stdout) as {
        pid: number;
        execArgv: string[];
        args: string[];
        limitMb: number;
      };
      expect(seen.pid).toBe(child.pid);
      expect(seen.args).toEqual(['a b', '--c']);
      expect(seen.execArgv).toContain('--max-semi-space-size=4');
      // A flag given by hand is kept, not overridden.
      expect(seen.limitMb).toBeLessThan(execArgv.length === 0 ? 600 : 400);
    }
  });

  it('re-executes with the environment variables the process lacks, and not when they are set', async () => {
    const script = await scriptCalling([
      'ensureNodeFlags(["--expose-gc"], { MALLOC_MMAP_THRESHOLD_: "32768" });',
      'console.log(JSON.stringify({ gc: typeof globalThis.gc, threshold: process.env.MALLOC_MMAP_THRESHOLD_ }));',
    ]);
    const run = (env: Record<string, string>) =>
      JSON.parse(
        spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ...env } }).stdout,
      );
    const { MALLOC_MMAP_THRESHOLD_: _, ...without } = process.env;
    const plain = spawnSync(process.execPath, [script], { encoding: 'utf8', env: without });
    expect(JSON.parse(plain.stdout)).toEqual({ gc: 'function', threshold: '32768' });
    // A value set by hand wins.
    expect(run({ MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({ gc: 'function', threshold: '65536' });
  });
});
