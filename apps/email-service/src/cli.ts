#!/usr/bin/env node
import { runApp } from '@broker-monitor/app-runtime';
import { app } from './app.js';

process.exitCode = await runApp(app);
