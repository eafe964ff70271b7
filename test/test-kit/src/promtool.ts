/*
 * Prometheus' promtool (Debian's `prometheus` package) checks what the apps write and the rules
 * the project ships. A test that needs it fails when it is missing, in CI and locally alike:
 * a skipped check would let a broken rules file or textfile pass unnoticed.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PromtoolResult {
  status: number;
  /** stdout and stderr together: promtool writes its findings to either. */
  output: string;
}

const INSTALL_HINT =
  "promtool not found: install Debian's prometheus package (as root: apt-get install -y --no-install-recommends prometheus); .ci/run does so in CI";

/** Runs promtool with the arguments (and `input` on stdin). @throws when promtool is not installed. */
export function promtool(args: readonly string[], input?: string): PromtoolResult {
  const result = spawnSync('promtool', [...args], { input, encoding: 'utf8' });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? INSTALL_HINT : `promtool failed to start: ${result.error.message}`);
  }
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}`.trim() };
}

/** `promtool check metrics` on a textfile's content: '' when it passes, else what promtool found. */
export function checkMetricsText(text: string): string {
  const result = promtool(['check', 'metrics'], text);
  return result.status === 0 ? '' : result.output || `exit code ${result.status}`;
}

/**
 * `promtool check metrics` on every `*.prom` file in `dir`: the findings per file name, empty
 * when all pass; throws when there is no such file (a test that expects metrics found none).
 */
export async function checkMetricsFiles(dir: string): Promise<Record<string, string>> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.prom'));
  if (files.length === 0) throw new Error(`no .prom file in ${dir}`);
  const findings: Record<string, string> = {};
  for (const file of files) {
    const problems = checkMetricsText(await readFile(join(dir, file), 'utf8'));
    if (problems !== '') findings[file] = problems;
  }
  return findings;
}
