import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  /** User + system CPU of the process and everything it waited for (the kernel's count, not the bin's own). */
  cpuMs: number;
  /** The end of stderr, for the message when a run fails. */
  stderrTail: string;
}

export interface BinRunOptions {
  /** Folder for the file through which the process reports its peak RSS. */
  scratchDir: string;
  env?: NodeJS.ProcessEnv;
  /**
   * `'node'`: started as `node <bin>`, without the node flags of its shebang (a natural crontab
   * line); default `'shebang'`.
   */
  startedAs?: 'shebang' | 'node';
}

const PEAK_RSS_PRELOAD = fileURLToPath(new URL('./peak-rss.js', import.meta.url));
const STDERR_TAIL_CHARS = 4000;

/** The absolute path of a workspace app's bin, e.g. `binPath('node-to-csv')`. */
export function binPath(app: 'node-to-csv' | 'csv-to-confluence'): string {
  // The package's entry is dist/index.js; the bin sits next to it.
  return fileURLToPath(new URL('./cli.js', import.meta.resolve(app)));
}

let runCounter = 0;

/** USER_HZ: the unit of /proc's CPU times on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * User + system CPU of the children this process has reaped so far (`cutime` + `cstime` of
 * /proc/self/stat), in ms. The kernel counts it, so the measured bin runs unchanged; the difference
 * around one run is that run's alone because the bench never runs two children at once (the
 * emulators are worker threads, not children).
 */
function reapedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name in brackets, which may itself hold spaces; cutime is field 16.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Runs a bin as its own process, started through its shebang as cron starts it, and measures it. The peak RSS
 * comes from a preloaded module that writes `process.resourceUsage().maxRSS` when the process exits.
 */
export async function runBin(bin: string, args: readonly string[], options: BinRunOptions): Promise<BinRun> {
  runCounter += 1;
  const rssFile = join(options.scratchDir, `.peak-rss-${process.pid}-${runCounter}`);
  const cpuBefore = reapedChildrenCpuMs();
  const started = performance.now();
  const { exitCode, stderrTail } = await new Promise<{ exitCode: number | null; stderrTail: string }>(
    (resolve, reject) => {
      // The bin itself, so that its shebang (`env -S … node <flags>`) starts it as cron does; the
      // peak-RSS module comes in through NODE_OPTIONS, and this node is the first on PATH.
      const [command, commandArgs] =
        options.startedAs === 'node' ? [process.execPath, [bin, ...args]] : [bin, args];
      const child = spawn(command, commandArgs, {
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
  const cpuMs = reapedChildrenCpuMs() - cpuBefore;
  const peakRssBytes = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));
  await rm(rssFile, { force: true });
  return { exitCode, wallMs, peakRssBytes, cpuMs, stderrTail };
}
