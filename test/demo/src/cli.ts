#!/usr/bin/env node
import { resolve } from 'node:path';
import { runDemo } from './demo.js';

const outDir = resolve(new URL('../../../demo-output', import.meta.url).pathname);
const started = performance.now();
const result = await runDemo({ outDir, say: (line) => console.log(line) });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `\ndone in ${seconds} s; exit codes: ${JSON.stringify(result.exitCodes)}; logs in ${outDir}/logs`,
);
console.log(`report: ${result.reportIndex}`);
console.log(`outbox: ${result.outbox}`);
