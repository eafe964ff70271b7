import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** What one whole process of an app cost. */
export interface BinRun {
  exitCode: number | null;
  /** From spawn to exit: Node's start, module loading and the run itself. */
  wallMs: number;
  /** The process's peak resident set (`getrusage` maxRSS), children not included. */
  peakRssBytes: number;
  /** The end of stderr, for the message when a run fails. */
  stderrTail: string;
}

export interface BinRunOptions {
  /** Folder for the file through which the process reports its peak RSS. */
  scratchDir: string;
  env?: NodeJS.ProcessEnv;
}

const PEAK_RSS_PRELOAD = fileURLToPath(new URL('./peak-rss.js', import.meta.url));
const STDERR_TAIL_CHARS = 4000;

/** The absolute path of a workspace app's bin, e.g. `binPath('node-to-csv')`. */
export function binPath(app: 'node-to-csv' | 'csv-to-confluence'): string {
  // The package's entry is dist/index.js; the bin sits next to it.
  return fileURLToPath(new URL('./cli.js', import.meta.resolve(app)));
}

/**
 * The node flags of a bin's shebang (`#!/usr/bin/env -S node --flag …`): the installed bin shim
 * starts node with them, so the bench does too.
 */
export function shebangNodeFlags(firstLine: string): string[] {
  const match = /^#!\s*\S*env\s+(?:-S\s+)?node(?:\s+(.*))?$/.exec(firstLine.trim());
  if (match === null) return [];
  return (match[1] ?? '').split(/\s+/).filter((part) => part.startsWith('-'));
}

function binFlags(bin: string): string[] {
  return shebangNodeFlags(readFileSync(bin, 'utf8').split('\n', 1)[0] ?? '');
}

let runCounter = 0;

/**
 * Runs a bin as its own process, started as the bin shim starts it, and measures it. The peak RSS
 * comes from a preloaded module that writes `process.resourceUsage().maxRSS` when the process exits.
 */
export async function runBin(bin: string, args: readonly string[], options: BinRunOptions): Promise<BinRun> {
  runCounter += 1;
  const rssFile = join(options.scratchDir, `.peak-rss-${process.pid}-${runCounter}`);
  const started = performance.now();
  const { exitCode, stderrTail } = await new Promise<{ exitCode: number | null; stderrTail: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        [...binFlags(bin), `--import=${PEAK_RSS_PRELOAD}`, bin, ...args],
        {
          env: { ...process.env, ...options.env, BENCH_PEAK_RSS_FILE: rssFile },
          // Logs are read as cron would leave them in a file; the bench keeps only stderr's end.
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ exitCode: code, stderrTail: stderr }));
    },
  );
  const wallMs = performance.now() - started;
  const peakRssBytes = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));
  await rm(rssFile, { force: true });
  return { exitCode, wallMs, peakRssBytes, stderrTail };
}
