import { spawnSync } from 'node:child_process';

/**
 * `promtool check metrics` on a text: '' when it passes. The test kit has the same check for the
 * apps' tests; this package cannot use it, as the test kit depends (through app-runtime) on this one.
 */
export function promtoolCheckMetrics(text: string): string {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      "promtool not found: install Debian's prometheus package (as root: apt-get install -y --no-install-recommends prometheus); .ci/run does so in CI",
    );
  }
  if (result.error !== undefined) throw result.error;
  return result.status === 0 ? '' : `${result.stdout}${result.stderr}`.trim();
}
