export { type BenchOptions, runBench } from './bench.js';
export { type BinRun, type BinRunOptions, binPath, runBin } from './bin-run.js';
export { benchCollector, type CollectorBenchOptions, type CollectorRun } from './collector-bench.js';
export { describeEnvironment, loadAverage, mountOf } from './environment.js';
export {
  benchReporterConfluence,
  benchReporterLocal,
  makeReporterStore,
  type ReporterBenchOptions,
  type ReporterRun,
  type ReporterRunKind,
  type ReporterStore,
} from './reporter-bench.js';
export {
  type BenchResults,
  checkTargets,
  type ResultsContext,
  resultsMarkdown,
  resultsSummary,
  speedUps,
  TARGETS,
  type TargetCheck,
} from './results.js';
export { lastRunTime, nodeMapping, statsCsvByYear } from './store-fixture.js';
