// Second build step: replaces the tsc output dist/cli.js with one file holding the bin and what it
// imports. Loaded as some 150 separate modules (resolution, package.json lookups, one compile each)
// the collector spent some 150 ms more CPU per run (pnpm bench: a one-node run, 510 → 360 ms).
// The other files of dist stay as tsc wrote them, for the package's exports.
import { build } from 'rolldown';

const bin = new URL('./dist/cli.js', import.meta.url).pathname;
await build({
  input: bin,
  platform: 'node',
  logLevel: 'warn',
  output: { file: bin, format: 'esm', codeSplitting: false },
});
