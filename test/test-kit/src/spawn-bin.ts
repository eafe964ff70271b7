import { spawn } from 'node:child_process';

/** What a bin run as a child process left: its exit code (null when killed) and its output. */
export interface BinRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built bin of an app of this repository (`apps/<app>/dist/cli.js`). */
export function appBinPath(app: string): string {
  return new URL(`../../../apps/${app}/dist/cli.js`, import.meta.url).pathname;
}

/** Runs an app's built bin as cron does: pipes, no terminal, `env` added to this process's. */
export function spawnBin(app: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [appBinPath(app), ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs an app's built bin on a pseudo-terminal, as a person at a shell does (util-linux `script`):
 * stdout and stderr are the same terminal, so `output` holds both, with the terminal's `\r\n`.
 */
export function spawnBinOnTerminal(
  app: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, appBinPath(app), ...args].map(
    (word) => `'${word.replaceAll("'", `'\\''`)}'`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command.join(' '), '/dev/null'], {
      env: { ...process.env, SHELL: '/bin/sh', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
