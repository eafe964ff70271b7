import type { CollectorRun } from './collector-bench.js';
import type { ReporterRun } from './reporter-bench.js';

export interface BenchResults {
  /** Concurrent collector runs (first and second per size). */
  collector: CollectorRun[];
  /** Collector runs with BROKER.CONCURRENCY = 1. */
  serial: CollectorRun[];
  /** First collector runs started as `node dist/cli.js` (no shebang flags); absent in older results. */
  plainStart?: CollectorRun[];
  reporter: ReporterRun[];
  latencyMs: number;
  confluenceDelayMs: number;
}

/** A target of issues 10, 11, 12 and 14, checked against the figures. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export const TARGETS = {
  collectorRatio: 1.2,
  requestsPerNode: 5,
  peakRssMb: 150,
  /** Issue 22: user + system CPU of the collector's process per node, at 500 nodes and more. */
  collectorCpuMsPerNode: 3,
  localReportSeconds: 10,
  /** Issue 20: 100 nodes, a year of rows each, with the charts. */
  smallLocalReportSeconds: 3,
  smallLocalReportNodes: 100,
  /** Per Confluence flavour: Cloud writes a created page twice (v2's create takes no version message). */
  requestsPerPage: {
    datacenter: { first: 2.2, unchanged: 0.2, 'all changed': 1.2 },
    cloud: { first: 2.2, unchanged: 0.2, 'all changed': 1.3 },
  },
} as const;

const FLAVOUR_NAMES = { datacenter: 'Data Center', cloud: 'Cloud' } as const;

const BUDGET_FROM_NODES = 100;
const MB = 1024 * 1024;
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const megabytes = (bytes: number) => (bytes / MB).toFixed(0);
const worst = (values: number[]) => Math.max(...values);

/** A Markdown table with padded columns, as the repository's formatter (Biome) writes them. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Serial wall ÷ concurrent wall of the first runs, for every size measured both ways. */
export function speedUps(results: BenchResults): { nodes: number; serialMs: number; concurrentMs: number }[] {
  return results.serial
    .filter((serial) => serial.run === 1)
    .flatMap((serial) => {
      const concurrent = results.collector.find((c) => c.nodes === serial.nodes && c.run === 1);
      return concurrent
        ? [{ nodes: serial.nodes, serialMs: serial.wallMs, concurrentMs: concurrent.wallMs }]
        : [];
    });
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const bigCollector = results.collector.filter((r) => r.nodes >= 500);
  if (bigCollector.length > 0) {
    const ratio = worst(bigCollector.map((r) => r.ratio));
    checks.push({
      target: `collector ≤ ${TARGETS.collectorRatio} × lower bound at 500 and more nodes`,
      measured: `worst ${ratio.toFixed(2)}`,
      met: ratio <= TARGETS.collectorRatio,
    });
  }
  const cpuMeasured = [...results.collector, ...(results.plainStart ?? [])].filter(
    (r) => r.nodes >= 500 && Number.isFinite(r.cpuMsPerNode),
  );
  if (cpuMeasured.length > 0) {
    const cpu = worst(cpuMeasured.map((r) => r.cpuMsPerNode));
    const sizes = [...new Set(cpuMeasured.map((r) => r.nodes))].sort((a, b) => a - b).join(' and ');
    checks.push({
      target: `collector ≤ ${TARGETS.collectorCpuMsPerNode} ms CPU per node at ${sizes} nodes`,
      measured: `worst ${cpu.toFixed(2)} ms`,
      met: cpu <= TARGETS.collectorCpuMsPerNode,
    });
  }
  const firstRuns = results.collector.filter((r) => r.run === 1);
  if (firstRuns.length > 0) {
    const perNode = worst(firstRuns.map((r) => r.requestsPerNode));
    checks.push({
      target: `collector ${TARGETS.requestsPerNode} requests per node`,
      measured: `at most ${perNode.toFixed(2)}`,
      met: perNode <= TARGETS.requestsPerNode,
    });
  }
  const largest = Math.max(
    0,
    ...results.collector.map((r) => r.nodes),
    ...results.reporter.map((r) => r.nodes),
  );
  const atLargest = [...results.collector, ...results.serial, ...(results.plainStart ?? [])].filter(
    (r) => r.nodes === largest,
  );
  if (atLargest.length > 0) {
    const rss = worst(atLargest.map((r) => r.peakRssBytes));
    checks.push({
      target: `collector peak RSS < ${TARGETS.peakRssMb} MB at ${largest} nodes`,
      measured: `${megabytes(rss)} MB`,
      met: rss < TARGETS.peakRssMb * MB,
    });
  }
  const reporterAtLargest = results.reporter.filter((r) => r.nodes === largest);
  for (const [label, runs] of [
    ['local report', reporterAtLargest.filter((r) => r.kind === 'local report')],
    ['Confluence runs', reporterAtLargest.filter((r) => r.kind !== 'local report')],
  ] as const) {
    if (runs.length === 0) continue;
    const rss = worst(runs.map((r) => r.peakRssBytes));
    checks.push({
      target: `reporter peak RSS < ${TARGETS.peakRssMb} MB at ${largest} nodes, ${label}`,
      measured: `${megabytes(rss)} MB`,
      met: rss < TARGETS.peakRssMb * MB,
    });
  }
  for (const local of results.reporter.filter((r) => r.kind === 'local report')) {
    const limit =
      local.nodes <= TARGETS.smallLocalReportNodes
        ? TARGETS.smallLocalReportSeconds
        : TARGETS.localReportSeconds;
    checks.push({
      target: `local report of ${local.nodes} nodes (pages, charts, heatmap) < ${limit} s`,
      measured: `${seconds(local.wallMs)} s`,
      met: local.wallMs < limit * 1000,
    });
  }
  for (const [flavour, budgets] of Object.entries(TARGETS.requestsPerPage) as [
    keyof typeof TARGETS.requestsPerPage,
    (typeof TARGETS.requestsPerPage)[keyof typeof TARGETS.requestsPerPage],
  ][]) {
    for (const [kind, budget] of Object.entries(budgets) as [keyof typeof budgets, number][]) {
      // Issue 12 counts at 100 nodes: the few requests of every run (parent, listing, contacts) weigh less there.
      const runs = results.reporter.filter(
        (r) => r.kind === kind && (r.flavour ?? 'datacenter') === flavour && r.nodes >= BUDGET_FROM_NODES,
      );
      if (runs.length === 0) continue;
      const perPage = worst(runs.map((r) => r.requestsPerPage));
      const when = {
        first: 'on the first run',
        unchanged: 'when nothing changed',
        'all changed': 'when every page changed',
      }[kind];
      checks.push({
        target: `reporter on ${FLAVOUR_NAMES[flavour]} ≤ ${budget} requests per page ${when} (${BUDGET_FROM_NODES} nodes or more)`,
        measured: `at most ${perPage.toFixed(2)}`,
        met: perPage <= budget,
      });
    }
  }
  return checks;
}

export interface ResultsContext {
  /** The command that reproduces the figures. */
  command: string;
  /** Machine, Node version, where the working directories were. */
  environment: readonly string[];
  date: Date;
}

/** bench/RESULTS.md: the tables, the targets and how the figures were made. */
export function resultsMarkdown(results: BenchResults, context: ResultsContext): string {
  const collectorRows = [...results.collector, ...results.serial, ...(results.plainStart ?? [])].map((r) => [
    String(r.nodes),
    String(r.concurrency),
    `${r.run === 1 ? 'first' : 'second (304s)'}${r.startedAs === 'node' ? ', as node dist/cli.js' : ''}`,
    r.repeats > 1
      ? `${seconds(r.wallMs)} (${seconds(r.wallMinMs)}–${seconds(r.wallMaxMs)})`
      : seconds(r.wallMs),
    r.requestsPerNode.toFixed(2),
    r.notModifiedPerNode.toFixed(2),
    seconds(r.lowerBoundMs),
    r.ratio.toFixed(2),
    r.cpuMsPerNode.toFixed(2),
    megabytes(r.peakRssBytes),
  ]);
  const speedUpRows = speedUps(results).map((s) => [
    String(s.nodes),
    seconds(s.serialMs),
    seconds(s.concurrentMs),
    `${(s.serialMs / s.concurrentMs).toFixed(1)} ×`,
  ]);
  const reporterRows = results.reporter.map((r) => [
    String(r.nodes),
    r.flavour === undefined ? '–' : FLAVOUR_NAMES[r.flavour],
    r.kind,
    seconds(r.wallMs),
    r.kind === 'local report' ? '–' : String(r.requests),
    r.kind === 'local report' ? '–' : r.requestsPerPage.toFixed(2),
    r.kind === 'local report' ? '–' : seconds(r.lowerBoundMs),
    megabytes(r.peakRssBytes),
  ]);
  const checks = checkTargets(results);
  return [
    '# Benchmark results',
    '',
    `Written by \`${context.command}\` on ${context.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '(test/bench). Every figure is one whole process of the real bin, executed through its shebang',
    "(`env -S …` with its node flags) as cron starts it: wall time from spawn to exit, peak RSS from the process's",
    '`getrusage` maxRSS. The emulators run in worker threads of the bench.',
    '',
    ...context.environment.map((line) => `- ${line}`),
    '',
    `## Collector (node-to-csv), ${results.latencyMs} ms added to every broker answer`,
    '',
    'Lower bound = requests × latency ÷ concurrency (requests include the status check and the node list).',
    'Concurrency 1 is the Python version’s approach: one request at a time. Where a series was repeated',
    '(each time on a new working directory), wall s is the median with the range in brackets, the ratio is',
    'that of the median, and peak RSS is the largest of the repetitions. CPU ms/node is user + system CPU',
    "of the bin's process (the kernel's count of the bench's reaped children, /proc/self/stat) ÷ nodes,",
    'the median of the repetitions. Rows "as node dist/cli.js" start the bin without its shebang\'s node flags.',
    '',
    table(
      [
        'nodes',
        'concurrency',
        'run',
        'wall s',
        'requests/node',
        '304/node',
        'lower bound s',
        'ratio',
        'CPU ms/node',
        'peak RSS MB',
      ],
      collectorRows,
    ),
    '',
    table(['nodes', 'serial wall s', 'concurrent wall s', 'speed-up'], speedUpRows),
    '',
    `## Reporter (csv-to-confluence), Confluence emulator with ${results.confluenceDelayMs} ms per request`,
    '',
    'A year of daily rows, 20 errors and 4 resources per node. Confluence runs, on the Data Center (REST v1)',
    'and the Cloud (REST v2) flavour of the emulator: the first creates every page, the second finds nothing',
    'changed, the third changes every node page (the import interface in the mapping). The local report (`--out DIR`) writes every node page, index.html and the heatmap.',
    '',
    table(
      ['nodes', 'Confluence', 'run', 'wall s', 'requests', 'requests/page', 'lower bound s', 'peak RSS MB'],
      reporterRows,
    ),
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', ''],
      checks.map((c) => [c.target, c.measured, c.met ? 'met' : '**missed**']),
    ),
    '',
  ].join('\n');
}

/** The same tables, shorter, for the terminal. */
export function resultsSummary(results: BenchResults): string {
  return checkTargets(results)
    .map((c) => `${c.met ? 'met   ' : 'MISSED'} ${c.target}: ${c.measured}`)
    .join('\n');
}
