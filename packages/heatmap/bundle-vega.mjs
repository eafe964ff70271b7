// Second build step: replaces the tsc output dist/vega.js with a single-file bundle of Vega and
// Vega-Lite (see src/vega.ts). dist/vega.d.ts from tsc stays as it is.
import { build } from 'rolldown';

await build({
  input: new URL('./dist/vega.js', import.meta.url).pathname,
  platform: 'node',
  logLevel: 'warn',
  output: {
    file: new URL('./dist/vega.js', import.meta.url).pathname,
    format: 'esm',
    minify: true,
    comments: { legal: true },
  },
});
