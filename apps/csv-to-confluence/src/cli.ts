#!/usr/bin/env node
import { runApp } from '@broker-monitor/app-runtime';
import { createApp } from './app.js';

process.exitCode = await runApp(createApp({ now: () => new Date() }));
