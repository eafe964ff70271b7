// Renders the pages of 2000 nodes and the summary as a reporter run would, and prints wall time
// and peak RSS. Run after a build: `pnpm --filter @broker-monitor/page-render bench`.
// Peak RSS depends mostly on how far V8 lets its young generation grow, hence the second run
// with --max-semi-space-size=4 (what the reporter app can set to stay small).
import { performance } from 'node:perf_hooks';
import { renderNodePage, renderReportIndex, renderReportNodePage, renderSummaryPage } from '../dist/index.js';
import { nodeView } from '../test/views.ts';

const NODES = Number(process.env.BENCH_NODES ?? 2000);
const STATUSES = [
  { title: 'ONLINE', color: 'Green' },
  { title: 'OFFLINE', color: 'Red' },
  { title: 'TESTING', color: 'Blue' },
  { title: 'HIGH ERROR RATE', color: 'Yellow' },
];

/** The tests' realistic node (Node runs the TypeScript file as it is), made distinct per node. */
function view(i) {
  const figures = (n) => ({
    imported: `${n}.00`,
    updated: '12.43',
    invalid: '1.14',
    failed: '0.00',
    errorRate: '0.75',
  });
  const base = nodeView();
  return nodeView({
    nodeId: String(i),
    commonName: `[${i}] Klinikum Nummer ${i} – Zentrale Notaufnahme`,
    clinicName: `Klinikum Nummer ${i}, Zentrale Notaufnahme & Chest Pain Unit`,
    status: STATUSES[i % STATUSES.length],
    means: figures(i % 300),
    daily: figures(i % 400),
    errors: Array.from({ length: 20 }, (_, e) => ({
      timestamp: `2024-04-${String(30 - e).padStart(2, '0')} 08:00:00`,
      repeats: String(e + 1),
      content: `de.aktin.importer: could not import encounter ${i}-${e}: <ValidationException> "Geburtsdatum fehlt" & more`,
    })),
    contacts: {
      ed: [{ name: 'Dr. Erika Müller', email: `ed${i}@klinikum.example` }],
      it: base.contacts.it.map((contact) => ({ ...contact, email: `${i}.${contact.email}` })),
    },
    jiraLabels: [`klinikum-${i}`],
    // A year of days, as the reporter passes them.
    days: Array.from({ length: 365 }, (_, d) => ({
      day: new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10),
      imports: d % 9 === 0 ? null : 150 + (d % 7),
      errorRate: d % 9 === 0 ? null : (d % 5) / 2,
      restart: d === 100,
    })),
  });
}

function summaryRow(v) {
  return {
    nodeId: v.nodeId,
    commonName: v.commonName,
    interfaceImport: v.interfaceImport,
    lastCheck: v.lastCheck,
    status: v.status,
    importsToday: '158.0',
    errorsToday: '2.0',
    errorRateToday: v.daily.errorRate,
    errorRate7d: v.means.errorRate,
    availability30: v.availability.days30,
    note: '',
  };
}

function time(label, run) {
  const start = performance.now();
  const bytes = run();
  const ms = performance.now() - start;
  console.log(
    `${label.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms  ${(bytes / 1e6).toFixed(1).padStart(6)} MB rendered, RSS now ${mb(process.memoryUsage().rss)} MB, peak ${mb(process.resourceUsage().maxRSS * 1024)} MB`,
  );
}

// The reporter lists all stored pages in one paged request, so their bodies are in memory
// together; the views it builds node by node from the CSV files.
const storedTemplate = renderNodePage(view(0)).replace(
  '<td class="notes"></td>',
  '<td class="notes"><p>Ansprechpartner wechselt im Mai.</p></td>',
);
// Copied through a Buffer so that each body is one flat string in memory, as a body parsed
// from the REST listing is (replaceAll alone leaves a lazily joined rope).
const stored = Array.from({ length: NODES }, (_, i) =>
  Buffer.from(storedTemplate.replaceAll('klinikum-0', `klinikum-${i}`)).toString(),
);
const rows = [];
const heatmap = { attachmentName: 'heatmap.png', caption: 'Fehlerrate der letzten 42 Tage' };
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);
console.log(`inputs ready (${NODES} stored page bodies in memory): RSS ${mb(process.memoryUsage().rss)} MB`);

const start = performance.now();
time(`${NODES} node pages, first run (no stored page)`, () => {
  let bytes = 0;
  for (let i = 0; i < NODES; i++) bytes += renderNodePage(view(i)).length;
  return bytes;
});
time(`${NODES} node pages against their stored pages`, () => {
  let bytes = 0;
  for (let i = 0; i < NODES; i++) {
    const v = view(i);
    bytes += renderNodePage(v, { body: stored[i] }).length;
    rows.push(summaryRow(v));
  }
  return bytes;
});
time(`summary page, ${NODES} rows + heatmap`, () => renderSummaryPage({ rows, heatmap }).length);
time(`local report: index + ${NODES} node pages`, () => {
  let bytes = renderReportIndex({ rows, heatmap }, { heatmapFile: 'heatmap.png' }).length;
  for (let i = 0; i < NODES; i++) bytes += renderReportNodePage(view(i)).length;
  return bytes;
});
const wall = performance.now() - start;
console.log(
  `total wall time ${wall.toFixed(0)} ms, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB (Node ${[process.version, ...process.execArgv].join(' ')})`,
);
