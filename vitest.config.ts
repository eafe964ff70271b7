// The one vitest configuration: every package's `test` script is `vitest run --config
// ../../vitest.config.ts`. Each package stays its own root (turbo runs them one by one) and
// writes the JSON report that scripts/test-summary.mjs adds up; 30 s per test, as the machines
// have two cores and the suites start real servers.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: process.cwd(),
  test: {
    testTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    globalSetup: [fileURLToPath(new URL('./scripts/test-temp-dir.mjs', import.meta.url))],
  },
});
