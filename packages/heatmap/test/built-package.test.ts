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
