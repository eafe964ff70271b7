export { type ChartAsset, historyChartAssets } from './assets.js';
export { HISTORY_CHART_SPEC } from './spec.js';
