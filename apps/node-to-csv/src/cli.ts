#!/usr/bin/env -S node --max-semi-space-size=16 --max-old-space-size=512
// Memory (pnpm bench, 2000 nodes): what a run keeps live is some 25 MB, but V8 sizes its heap by
// the machine: on a server with gigabytes free it lets the old generation grow to about four times
// what is live before a full collection (peak RSS ~220 MB; ~330 MB started without these flags).
// With an old-space limit under 1 GB it grows by a small factor instead (~130 MB); 512 MB stays far
// above anything a run holds. Semi-spaces of 16 MB rather than V8's default 32 MB bound the young
// generation; smaller ones cost CPU (4 MB: ~0.4 ms more per node in scavenges, pnpm bench at 500
// nodes) for little memory. The same flags as the shebang's, for a start as `node dist/cli.js`:
// they cannot be set once the heap exists, so the process re-executes itself with them before the
// app is loaded.
import { ensureNodeFlags } from '@broker-monitor/app-runtime/heap-flags';

ensureNodeFlags(['--max-semi-space-size=16', '--max-old-space-size=512']);

// libuv's default of 4 threads for the file I/O: 16 cost some 0.3 ms more CPU per node (thread
// wake-ups, pnpm bench at 500 nodes) and were no faster.

// The run is a file of its own, loaded only now: started without the flags, the process has
// re-executed before it parsed the bundle (some 60 ms of CPU).
await import('./run.js');
