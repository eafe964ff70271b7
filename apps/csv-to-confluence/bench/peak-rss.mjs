// Preloaded into the bin by report-bench.mjs: reports the process's peak RSS when it exits.
import { performance } from 'node:perf_hooks';

process.on('exit', () => {
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stderr.write(`BENCH ${JSON.stringify({ peakMb, processMs: performance.now() })}\n`);
});
