#!/usr/bin/env node
// `pnpm bench`: see README.md. Writes bench/RESULTS.md at the repository root.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBench } from './bench.js';
import { describeEnvironment, loadAverage } from './environment.js';
import { checkTargets, resultsMarkdown, resultsSummary } from './results.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,500,2000' },
    'serial-sizes': { type: 'string', default: '50,500' },
    repeats: { type: 'string', default: '3' },
    'collector-only': { type: 'boolean', default: false },
    'reporter-only': { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('../../../bench/RESULTS.md', import.meta.url)) },
  },
});
const sizes = (text: string) =>
  text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const value = Number(part);
      if (!Number.isSafeInteger(value) || value < 1) throw new Error(`not a node count: ${part}`);
      return value;
    });

const dir = resolve(process.env.BENCH_DIR ?? tmpdir());
const started = performance.now();
const loadAtStart = loadAverage();
const results = await runBench({
  sizes: sizes(values.sizes),
  serialSizes: sizes(values['serial-sizes']),
  repeats: sizes(values.repeats)[0] ?? 1,
  collectorOnly: values['collector-only'],
  reporterOnly: values['reporter-only'],
  latencyMs: 20,
  confluenceDelayMs: 20,
  dir,
  say: (line) => console.log(line),
});
const quoted = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
const command = [
  ...(process.env.BENCH_DIR === undefined ? [] : [`BENCH_DIR=${quoted(process.env.BENCH_DIR)}`]),
  'pnpm bench',
  ...process.argv.slice(2).map(quoted),
].join(' ');
const markdown = resultsMarkdown(results, {
  command,
  environment: await describeEnvironment(dir, loadAtStart),
  date: new Date(),
});
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, markdown);
console.log(`\n${resultsSummary(results)}`);
console.log(`\n${values.out} written (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
// A missed target fails the command, so that it cannot go unnoticed in a log.
if (checkTargets(results).some((check) => !check.met)) process.exitCode = 1;
