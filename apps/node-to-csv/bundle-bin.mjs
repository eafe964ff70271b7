// Second build step: replaces the tsc output dist/run.js with one file holding the run and what it
// imports. Loaded as some 150 separate modules (resolution, package.json lookups, one compile each)
// the collector spent some 150 ms more CPU per run (pnpm bench: a one-node run, 510 → 360 ms).
// dist/cli.js becomes a small file of its own (the node-flags check, then run.js), so that a start
// without the flags re-executes before the bundle is parsed. The other files of dist stay as tsc
// wrote them, for the package's exports.
import { build } from 'rolldown';

const dist = new URL('./dist/', import.meta.url).pathname;
const bundle = (file, external = []) =>
  build({
    input: `${dist}${file}`,
    platform: 'node',
    logLevel: 'warn',
    external,
    output: { file: `${dist}${file}`, format: 'esm', codeSplitting: false },
  });
await bundle('run.js');
await bundle('cli.js', ['./run.js']);
