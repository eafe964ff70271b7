export { InvalidHeatmapDateError } from './errors.js';
export {
  createHeatmapRanking,
  ERROR_RATE_BINS,
  type ErrorRateBin,
  errorRateBin,
  HEATMAP_DAYS,
  HEATMAP_MAX_NODES,
  type HeatmapCell,
  type HeatmapInputRow,
  type HeatmapMatrix,
  type HeatmapRanking,
  type HeatmapRow,
  heatmapDates,
  heatmapMatrix,
  LAST_WEEK_DAYS,
  LAST_WEEK_WEIGHT,
} from './matrix.js';
export {
  type HeatmapImage,
  type HeatmapLayout,
  layOutHeatmap,
  type RasterizeOptions,
  rasterizeHeatmap,
  renderHeatmapPng,
  renderHeatmapSvg,
} from './render.js';
export { ERROR_RATE_BIN_COLOURS, ERROR_RATE_BIN_LABELS, HEATMAP_FONT_FAMILY, heatmapSpec } from './spec.js';
