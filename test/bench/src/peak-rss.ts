// Preloaded (`--import`) into a measured process: writes its peak RSS in bytes when it exits.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_PEAK_RSS_FILE;
if (target !== undefined) {
  // Not inherited by anything the app itself might start.
  delete process.env.BENCH_PEAK_RSS_FILE;
  delete process.env.NODE_OPTIONS;
  process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS * 1024)));
}
