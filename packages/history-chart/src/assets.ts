import { readFile } from 'node:fs/promises';

/** A file the report folder needs for the chart, under the name the pages load it by. */
export interface ChartAsset {
  fileName: 'vega.min.js' | 'history-chart.js';
  content: Buffer;
}

const assetsDir = new URL('./assets/', import.meta.url);

/** Vega's browser build and the chart script, as built into dist/assets/. */
export async function historyChartAssets(): Promise<ChartAsset[]> {
  const names = ['vega.min.js', 'history-chart.js'] as const;
  return Promise.all(
    names.map(async (fileName) => ({ fileName, content: await readFile(new URL(fileName, assetsDir)) })),
  );
}
