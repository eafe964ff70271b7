// Second build step: compiles the Vega-Lite chart to Vega once, here, and writes the two files a
// report page loads: Vega's own browser build and history-chart.js (the compiled spec and the
// few lines that feed each page's days into it). The report then draws charts in the browser,
// so writing 2000 node pages costs no chart rendering at all.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { compile } from 'vega-lite';
import { HISTORY_CHART_SPEC } from './dist/spec.js';

const assets = new URL('./dist/assets/', import.meta.url);
await mkdir(assets, { recursive: true });
// vega's exports map hides its build folder; the dependency is linked next to this file.
await copyFile(
  new URL('./node_modules/vega/build/vega.min.js', import.meta.url),
  new URL('vega.min.js', assets),
);
const vegaSpec = compile(structuredClone(HISTORY_CHART_SPEC)).spec;
const runtime = await readFile(new URL('./assets/history-chart.js', import.meta.url), 'utf8');
await writeFile(
  new URL('history-chart.js', assets),
  runtime.replace('__VEGA_SPEC__', JSON.stringify(vegaSpec)),
);
