#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=32768 node --expose-gc --max-semi-space-size=1 --max-old-space-size=512
// Memory (pnpm bench, 2000 nodes):
// - glibc keeps what a process frees for reuse. By default it raises its mmap threshold to the
//   largest block freed, so the megabyte answers of Confluence, the CSV files read and resvg's
//   canvas come from its heaps and stay resident after the run is done with them. A fixed
//   threshold of 32 KiB gives such blocks back to the system when they are freed: some 25 MB less
//   at the peak (128 KiB: 20 MB). Other C libraries ignore the variable. The line stays under the
//   128 characters older kernels read of it.
// - V8 sizes its heap by the machine. On a server with gigabytes free it lets the old generation
//   grow to about four times what is live before a full collection; with an old-space limit under
//   1 GB it grows by a small factor instead. Small semi-spaces keep the garbage of reading a year
//   of rows per page from growing the young generation to V8's default 2 × 32 MB: 1 MB each
//   (rather than 4) is some 8 MB less at the peak for a few more scavenges. What is live stays
//   far below 512 MB.
// - `gc` lets the report return the pages' memory before the heatmap is drawn; see renderHeatmap.
// The same settings for a start as `node dist/cli.js`: the process re-executes itself with them
// before the app is loaded (heap sizes and glibc's threshold are fixed once the process runs).
import { ensureNodeFlags } from '@broker-monitor/app-runtime/heap-flags';

ensureNodeFlags(['--expose-gc', '--max-semi-space-size=1', '--max-old-space-size=512'], {
  MALLOC_MMAP_THRESHOLD_: '32768',
});

const [{ runApp }, { createApp }] = await Promise.all([
  import('@broker-monitor/app-runtime'),
  import('./app.js'),
]);
process.exitCode = await runApp(createApp({ now: () => new Date() }));
