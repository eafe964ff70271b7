export { checkMetricsFiles, checkMetricsText, type PromtoolResult, promtool } from './promtool.js';
export { type AppRun, jsonLogLines, type LogLine, outcomeOf, runAppCaptured } from './run-app.js';
export { appBinPath, type BinRun, spawnBin, spawnBinOnTerminal } from './spawn-bin.js';
export { STATS_HEADER } from './stats.js';
