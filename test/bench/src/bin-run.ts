import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
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

let runCounter = 0;

/**
 * Runs a bin as its own process, started through its shebang as cron starts it, and measures it. The peak RSS
 * comes from a preloaded module that writes `process.resourceUsage().maxRSS` when the process exits.
 */
export async function runBin(bin: string, args: readonly string[], options: BinRunOptions): Promise<BinRun> {
  runCounter += 1;
  const rssFile = join(options.scratchDir, `.peak-rss-${process.pid}-${runCounter}`);
  const started = performance.now();
  const { exitCode, stderrTail } = await new Promise<{ exitCode: number | null; stderrTail: string }>(
    (resolve, reject) => {
      // The bin itself, so that its shebang (`env -S … node <flags>`) starts it as cron does; the
      // peak-RSS module comes in through NODE_OPTIONS, and this node is the first on PATH.
      const child = spawn(bin, args, {
        env: {
          ...process.env,
          ...options.env,
          PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
          NODE_OPTIONS: `--import=${PEAK_RSS_PRELOAD}`,
          BENCH_PEAK_RSS_FILE: rssFile,
        },
        // Logs are read as cron would leave them in a file; the bench keeps only stderr's end.
        stdio: ['ignore', 'ignore', 'pipe'],
      });
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
