// vitest global setup (vitest.config.ts): each package's test run gets a temporary folder of its
// own as TMPDIR. The tests, the servers they start and the bins they spawn make their folders
// there, and it is removed when the run ends, so the test command leaves nothing in the system's
// temporary folder. A failed run keeps it and says where.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let runDir;

export function setup() {
  runDir = mkdtempSync(join(tmpdir(), 'bm-test-run-'));
  process.env.TMPDIR = runDir;
}

export function teardown() {
  if (runDir === undefined) return;
  if (process.exitCode !== undefined && process.exitCode !== 0) {
    console.log(`test files kept in ${runDir}`);
    return;
  }
  rmSync(runDir, { recursive: true, force: true });
}
