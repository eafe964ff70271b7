#!/usr/bin/env -S node --max-semi-space-size=2
import { runApp } from '@broker-monitor/app-runtime';
import { createApp } from './app.js';

// Every node writes several files: more libuv threads keep disk I/O off the request path.
process.env.UV_THREADPOOL_SIZE ??= '16';

process.exitCode = await runApp(createApp({ now: () => new Date() }));
