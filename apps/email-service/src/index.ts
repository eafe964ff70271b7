export type { AppOptions } from '@broker-monitor/app-runtime';
export { createApp } from './app.js';
