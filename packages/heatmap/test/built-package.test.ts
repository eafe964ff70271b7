import { expect, it } from 'vitest';
import { heatmapMatrix, renderHeatmapPng } from '../src/index.js';
import { LAST_DATE, sampleNodes } from './rows.js';

type Heatmap = typeof import('../src/index.js');

// dist/ carries Vega and Vega-Lite bundled into one module (bundle-vega.mjs); an app importing the
// package gets that, so it must draw exactly what the sources draw.
it('draws the same image from dist/, with Vega bundled, as from the sources', async () => {
  const built: Heatmap = await import(new URL('../dist/index.js', import.meta.url).href);
  const rows = sampleNodes(45);
  const fromDist = await built.renderHeatmapPng(built.heatmapMatrix(rows, LAST_DATE));
  const fromSources = await renderHeatmapPng(heatmapMatrix(rows, LAST_DATE));
  expect(fromDist.svg).toBe(fromSources.svg);
  expect(fromDist.png.equals(fromSources.png)).toBe(true);
});

// The reporter imports the window from `./matrix` while the pages are written and loads the
// renderer (Vega, resvg: tens of MB) only for the heatmap itself.
it('serves the matrix from a subpath that loads no renderer', async () => {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  const file = new URL(`.${manifest.exports['./matrix'].import.slice(1)}`, new URL('../', import.meta.url));
  const matrix: typeof import('../src/matrix.js') = await import(file.href);
  expect(matrix.HEATMAP_DAYS).toBe(42);
  expect(typeof matrix.heatmapMatrix).toBe('function');
  const imports = [...(await readFile(file, 'utf8')).matchAll(/from ['"]([^'"]+)['"]/g)].map((m) => m[1]);
  expect(imports).toEqual(['./errors.js']);
});
