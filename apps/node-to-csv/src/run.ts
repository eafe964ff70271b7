// What the bin runs once the node flags are in place (see cli.ts): bundled into one file.
import { runApp } from '@broker-monitor/app-runtime';
import { createApp } from './app.js';

process.exitCode = await runApp(createApp({ now: () => new Date() }));
