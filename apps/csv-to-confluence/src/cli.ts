#!/usr/bin/env -S node --expose-gc --max-semi-space-size=4
// Memory (bench/report-bench.mjs, 2000 nodes): a small young generation keeps V8 from growing the
// heap while the pages are rendered, and `gc` lets the report return that memory before the
// heatmap (Vega, resvg) is loaded; see renderHeatmap.
import { runApp } from '@broker-monitor/app-runtime';
import { createApp } from './app.js';

process.exitCode = await runApp(createApp({ now: () => new Date() }));
