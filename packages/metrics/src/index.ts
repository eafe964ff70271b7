export {
  escapeLabelValue,
  type Labels,
  type MetricFamily,
  MetricNameError,
  type MetricType,
  type ParsedSample,
  parseExposition,
  renderExposition,
  type Sample,
} from './exposition.js';
export { addToTotals, counter, gauge, info, type StateOf, stateSet, timestampSeconds } from './families.js';
export { isSuccessfulExit, RUN_METRICS, type RunFigures, runMetricFamilies } from './run-metrics.js';
export { metricsFileName, type PreviousSamples, readMetricsFile, writeMetricsFile } from './textfile.js';
