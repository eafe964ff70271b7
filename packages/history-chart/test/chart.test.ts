import { readFile } from 'node:fs/promises';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
// The assets are built into dist/ (build-assets.mjs), so they are read from there.
import { historyChartAssets } from '../dist/assets.js';
import { HISTORY_CHART_SPEC } from '../src/spec.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);

/** A year of days: imports and error rate, a week without figures in the middle, two restarts. */
function year() {
  return Array.from({ length: 365 }, (_, i) => {
    const gap = i >= 150 && i < 157;
    return {
      t: START + i * DAY,
      imports: gap ? null : 300 + (i % 7) * 10,
      errorRate: gap ? null : (i % 30) / 10,
      restart: i === 40 || i === 200,
    };
  });
}

async function svgOf(values: ReturnType<typeof year>): Promise<string> {
  const spec = structuredClone(compile(structuredClone(HISTORY_CHART_SPEC) as never).spec);
  for (const data of spec.data ?? []) if (data.name === 'days') Object.assign(data, { values });
  return new View(parse(spec), { renderer: 'none' }).toSVG();
}

describe('the history chart', () => {
  it('draws bars for the imports, a line broken at days without figures, and a rule per restart', async () => {
    const svg = await svgOf(year());
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(365 - 7);
    const line = /aria-roledescription="line mark" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    // One path in two pieces: the week without figures breaks it.
    expect(line.match(/M/g)).toHaveLength(2);
    const rules = /concat_0_layer_1_marks[^>]*>(.*?)<\/g>/s.exec(svg)?.[1] ?? '';
    expect(rules.match(/<line/g)).toHaveLength(2);
    expect(svg).toContain('Fehlerrate [%]');
    expect(svg).toContain('Importe');
  });

  it('draws an empty year without an error', async () => {
    const empty = year().map((day) => ({ ...day, imports: null, errorRate: null, restart: false }));
    await expect(svgOf(empty)).resolves.toContain('<svg');
  });

  it('ships the chart script with the compiled spec, and Vega’s browser build', async () => {
    const assets = await historyChartAssets();
    expect(assets.map((a) => a.fileName)).toEqual(['vega.min.js', 'history-chart.js']);
    const script = assets[1]?.content.toString('utf8') ?? '';
    expect(script).not.toContain('__VEGA_SPEC__');
    expect(script).toContain('"name":"days"');
    const vega = await readFile(new URL('../node_modules/vega/build/vega.min.js', import.meta.url));
    expect(assets[0]?.content.equals(vega)).toBe(true);
  });
});
