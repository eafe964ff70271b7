// Preloaded (`--import`) into a measured process: writes its peak RSS in bytes when it exits.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_PEAK_RSS_FILE;
// The measured process is the one first started with this module. The environment stays as it is
// so that the module comes back when that process re-executes itself (same pid, the kernel's peak
// covering both images); a node process the app might start inherits it but writes nothing.
process.env.BENCH_PEAK_RSS_PID ??= String(process.pid);
if (target !== undefined && process.env.BENCH_PEAK_RSS_PID === String(process.pid)) {
  process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS * 1024)));
}
