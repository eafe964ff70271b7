#!/usr/bin/env -S node --expose-gc --max-semi-space-size=4 --max-old-space-size=512
// Memory (pnpm bench, 2000 nodes): V8 sizes its heap by the machine. On a server with gigabytes
// free it lets the old generation grow to about four times what is live before a full collection;
// with an old-space limit under 1 GB it grows by a small factor instead. Small semi-spaces keep the
// garbage of reading a year of rows per page from growing the young generation to V8's default
// 2 × 32 MB. What is live stays far below 512 MB (the listing of all node pages in Confluence is
// the largest part). `gc` lets the report return the pages' memory before the heatmap is drawn;
// see renderHeatmap.
import { runApp } from '@broker-monitor/app-runtime';
import { createApp } from './app.js';

process.exitCode = await runApp(createApp({ now: () => new Date() }));
