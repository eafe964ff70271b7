/*
 * The Prometheus rules shipped in deploy/prometheus: valid for promtool, their unit tests pass,
 * and the series those tests feed them are series the apps write (name and label names), so a
 * renamed metric cannot leave the rules silently watching nothing.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrokerEmulator } from '@broker-monitor/broker-emulator';
import { parseExposition } from '@broker-monitor/metrics';
import { checkMetricsFiles, promtool, runAppCaptured } from '@broker-monitor/test-kit';
import { createApp as createReporter } from 'csv-to-confluence';
import { createApp as createCollector } from 'node-to-csv';
import { describe, expect, it } from 'vitest';

const DEPLOY = fileURLToPath(new URL('../../../deploy/prometheus/', import.meta.url));
const RULES = join(DEPLOY, 'broker-monitor.rules.yml');
const RULES_TEST = join(DEPLOY, 'broker-monitor.rules.test.yml');
/** Labels the scrape adds: not the apps' to write. */
const SCRAPE_LABELS = new Set(['job', 'instance']);

describe('deploy/prometheus/broker-monitor.rules.yml', () => {
  it('passes promtool check rules', () => {
    const result = promtool(['check', 'rules', RULES]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('passes its unit tests (promtool test rules): stale after 26 h without a successful run, not before', () => {
    const result = promtool(['test', 'rules', RULES_TEST]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it("is tested on series the apps write: the test's series names and label names", async () => {
    const written = await seriesWrittenByCollectorAndReporter();
    const shapeOf = (name: string, labels: Record<string, string>) =>
      `${name}{${Object.keys(labels)
        .filter((label) => !SCRAPE_LABELS.has(label))
        .sort()
        .join(',')}}`;
    const writtenShapes = new Set(written.map((sample) => shapeOf(sample.name, sample.labels)));
    const testSeries = [...(await readFile(RULES_TEST, 'utf8')).matchAll(/series: '([^']+)'/g)].map(
      (match) => parseExposition(`${match[1]} 0`)[0],
    );
    expect(testSeries.length).toBeGreaterThan(5);
    for (const series of testSeries) {
      if (series === undefined) throw new Error('a series of the rules test cannot be read');
      expect(writtenShapes, series.name).toContain(shapeOf(series.name, series.labels));
      if (series.labels.status !== undefined) {
        expect(written.some((sample) => sample.labels.status === series.labels.status)).toBe(true);
      }
    }
  });
});

/** One collector run on two days and one local report over its store, with a textfile folder. */
async function seriesWrittenByCollectorAndReporter() {
  const broker = await startBrokerEmulator({ adminKey: 'k' });
  try {
    const dir = await mkdtemp(join(tmpdir(), 'bm-rules-'));
    const textfile = join(dir, 'textfile');
    await mkdir(textfile);
    await writeFile(join(dir, 'mapping.json'), JSON.stringify({ '3': { COMMON_NAME: 'Klinikum Drei' } }));
    const config = join(dir, 'settings.toml');
    await writeFile(
      config,
      `[BROKER]\nURL = "${broker.url}"\nAPI_KEY = "k"\n[DIR]\nWORKING = "${dir}/work"\n[CONFLUENCE]\nMAPPING_JSON = "${dir}/mapping.json"\n[METRICS]\nTEXTFILE_DIR = "${textfile}"\n`,
    );
    broker.addNode({ id: 3 });
    for (const [day, imported, failed] of [
      ['2025-03-10', 100, 0],
      ['2025-03-11', 150, 5],
    ] as const) {
      const at = new Date(`${day}T06:00:00Z`);
      broker.setNow(at);
      broker.node(3).lastContact = at;
      broker.uploadStats(3, {
        start: '2025-03-01T08:00:00+01:00',
        lastWrite: at,
        imported,
        updated: 0,
        invalid: 0,
        failed,
      });
      expect((await runAppCaptured(createCollector({ now: () => at }), [config])).code).toBe(0);
    }
    const reportAt = new Date('2025-03-11T06:30:00Z');
    const report = await runAppCaptured(createReporter({ now: () => reportAt }), [
      config,
      '--out',
      join(dir, 'out'),
    ]);
    expect(report.code).toBe(0);
    expect(await checkMetricsFiles(textfile)).toEqual({});
    return [
      ...parseExposition(await readFile(join(textfile, 'broker_monitor_node-to-csv.prom'), 'utf8')),
      ...parseExposition(await readFile(join(textfile, 'broker_monitor_csv-to-confluence.prom'), 'utf8')),
    ];
  } finally {
    await broker.close();
  }
}
