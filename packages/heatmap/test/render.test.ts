import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import {
  ERROR_RATE_BIN_COLOURS,
  ERROR_RATE_BIN_LABELS,
  type ErrorRateBin,
  HEATMAP_FONT_FAMILY,
  HEATMAP_MAX_NODES,
  heatmapMatrix,
  heatmapSpec,
  layOutHeatmap,
  rasterizeHeatmap,
  renderHeatmapPng,
  renderHeatmapSvg,
} from '../src/index.js';
import { countColour, countDark, decodePng } from './png.js';
import { LAST_DATE, node, sampleNodes } from './rows.js';

const SWATCH_MIN_PIXELS = 80;
const SWATCH_MAX_PIXELS = 160;

function svgSize(svg: string): { width: number; height: number } {
  const match = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
}

describe('heatmapSpec', () => {
  it('compiles with vega-lite and lists the rows worst first', () => {
    const matrix = heatmapMatrix([node('good'), node('bad', { 41: '12.00' })], LAST_DATE);
    const spec = heatmapSpec(matrix);
    expect(() => compile(spec)).not.toThrow();
    expect(JSON.stringify(spec)).toContain('"domain":["bad","good"]');
    expect(JSON.stringify(spec)).toContain(`"font":"${HEATMAP_FONT_FAMILY}"`);
  });

  it('keeps two rows for two nodes of the same name', () => {
    const spec = JSON.stringify(heatmapSpec(heatmapMatrix([node('Twin'), node('Twin')], LAST_DATE)));
    expect(spec).toContain('"domain":["Twin","Twin (2)"]');
  });
});

describe('renderHeatmapSvg', () => {
  it('writes node names, dates, legend and title as text, escaped', async () => {
    const svg = await renderHeatmapSvg(
      heatmapMatrix([node('Klinik <A> & "B"'), node('Städtisches Klinikum')], LAST_DATE),
    );
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('>Klinik &lt;A&gt; &amp; "B"</text>');
    expect(svg).toContain('>Städtisches Klinikum</text>');
    // 2025-11-23 is a Sunday, the window starts on Monday 2025-10-13.
    expect(svg).toContain('>So 23.11.</text>');
    expect(svg).toContain('>Mo 13.10.</text>');
    expect(svg).toContain('>Sa 01.11.</text>');
    for (const label of Object.values(ERROR_RATE_BIN_LABELS)) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('(13.10.2025 – 23.11.2025)');
    expect(svg).toContain(`font-family="${HEATMAP_FONT_FAMILY}"`);
  });

  it('shows the caption when nodes are left out', async () => {
    const rows = Array.from({ length: HEATMAP_MAX_NODES + 3 }, (_, index) => node(`N${index}`));
    const svg = await renderHeatmapSvg(heatmapMatrix(rows, LAST_DATE));
    expect(svg).toContain('3 weitere Knoten nicht dargestellt');
    expect(svg).toContain('>N0</text>');
    expect(svg).not.toContain(`>N${HEATMAP_MAX_NODES + 2}</text>`);
  });

  it('renders an empty matrix', async () => {
    const svg = await renderHeatmapSvg(heatmapMatrix([], LAST_DATE));
    expect(svg).toContain('Keine Knoten mit Daten');
  });
});

describe('renderHeatmapPng', () => {
  it('gives a PNG of the SVG size with one coloured cell per node and day, and rendered text', async () => {
    const matrix = heatmapMatrix(
      [
        node('extreme', { 0: '10.00', 1: '55.5', 2: '100.0' }),
        node('no imports', { 0: '-', 1: null }, '0.50'),
      ],
      LAST_DATE,
    );
    const image = await renderHeatmapPng(matrix);
    const png = decodePng(image.png);
    expect([png.width, png.height]).toEqual([image.width, image.height]);
    expect(svgSize(image.svg)).toEqual({ width: image.width, height: image.height });
    expect(image).toMatchObject({ shownNodes: 2, hiddenNodes: 0, caption: '' });

    const cells = (bin: ErrorRateBin) =>
      matrix.rows.flatMap((row) => row.cells).filter((cell) => cell.bin === bin).length;
    // Each cell is 18 × 18 px with a 1 px white border shared with its neighbours; the legend adds
    // one square swatch per bin (symbol size 150 → about 12 × 12 px).
    for (const bin of ['from-10', 'no-imports', 'below-1'] as const) {
      const pixels = countColour(png, ERROR_RATE_BIN_COLOURS[bin]);
      expect(pixels, bin).toBeGreaterThanOrEqual(cells(bin) * 16 * 16 + SWATCH_MIN_PIXELS);
      expect(pixels, bin).toBeLessThanOrEqual(cells(bin) * 18 * 18 + SWATCH_MAX_PIXELS);
    }
    for (const bin of ['from-1', 'from-5'] as const) {
      const pixels = countColour(png, ERROR_RATE_BIN_COLOURS[bin]);
      expect(pixels, `legend swatch ${bin}`).toBeGreaterThanOrEqual(SWATCH_MIN_PIXELS);
      expect(pixels, `legend swatch ${bin}`).toBeLessThanOrEqual(SWATCH_MAX_PIXELS);
    }
    // Without a loaded font resvg draws no text at all.
    expect(countDark(png)).toBeGreaterThan(2000);
  });

  it('is the rendering of the SVG it returns, drawn in bands of 512 rows', async () => {
    // 150 nodes: some 2350 rows, five bands.
    const image = await renderHeatmapPng(heatmapMatrix(sampleNodes(HEATMAP_MAX_NODES), LAST_DATE));
    const require = createRequire(import.meta.url);
    const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
      require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
    );
    const whole = new Resvg(image.svg, {
      font: { fontFiles, loadSystemFonts: false, defaultFontFamily: HEATMAP_FONT_FAMILY },
      background: '#ffffff',
    }).render();
    const drawn = decodePng(image.png);
    expect([drawn.width, drawn.height, drawn.channels]).toEqual([whole.width, whole.height, 4]);
    expect(drawn.height).toBeGreaterThan(4 * 512);
    const stride = drawn.width * 4;
    const reference = whole.pixels;
    let differing = 0;
    for (let y = 0; y < drawn.height; y++) {
      const nearBandEdge = [-1, 0, 1, 2].some((offset) => (y + offset) % 512 === 0 && y + offset > 0);
      for (let x = 0; x < stride; x++) {
        const delta = Math.abs((drawn.pixels[y * stride + x] ?? 0) - (reference[y * stride + x] ?? 0));
        if (delta === 0) continue;
        differing++;
        // Only where a band's edge cuts an antialiased edge, and only slightly.
        expect({ y, nearBandEdge, small: delta <= 40 }).toEqual({ y, nearBandEdge: true, small: true });
      }
    }
    expect(differing).toBeLessThan(500);
  });

  it('is the same image when laid out and rasterized in two steps', async () => {
    const matrix = heatmapMatrix(sampleNodes(HEATMAP_MAX_NODES + 5), LAST_DATE);
    const layout = await layOutHeatmap(matrix);
    expect(layout).toMatchObject({ shownNodes: HEATMAP_MAX_NODES, hiddenNodes: 5, caption: matrix.caption });
    // Vega's own layout, before it is cut to the drawn content.
    expect(layout.svg).not.toBe(await renderHeatmapSvg(matrix));
    const image = await rasterizeHeatmap(layout);
    const whole = await renderHeatmapPng(matrix);
    expect(image.svg).toBe(whole.svg);
    expect(image.png.equals(whole.png)).toBe(true);
    expect(image).toMatchObject({ shownNodes: HEATMAP_MAX_NODES, hiddenNodes: 5, caption: matrix.caption });
  });

  it('grows in height with the nodes, 14 px a row once there are more than 40', async () => {
    const fifty = await renderHeatmapPng(heatmapMatrix(sampleNodes(50), LAST_DATE));
    const sixty = await renderHeatmapPng(heatmapMatrix(sampleNodes(60), LAST_DATE));
    const ten = await renderHeatmapPng(heatmapMatrix(sampleNodes(10), LAST_DATE));
    expect(sixty.height - fifty.height).toBe(10 * 14);
    expect(ten.height).toBeLessThan(fifty.height - 40 * 14);
    expect(ten.width).toBeGreaterThan(42 * 18);
    expect(ten.width).toBeLessThan(1100);
  });

  it('stays within its size at the cap', async () => {
    const image = await renderHeatmapPng(heatmapMatrix(sampleNodes(HEATMAP_MAX_NODES + 50), LAST_DATE));
    expect(image).toMatchObject({ shownNodes: HEATMAP_MAX_NODES, hiddenNodes: 50 });
    expect(image.height).toBeGreaterThan(HEATMAP_MAX_NODES * 14);
    expect(image.height).toBeLessThan(HEATMAP_MAX_NODES * 14 + 400);
    expect(image.width).toBeLessThan(1100);
  });

  it('gives identical bytes for the same input and different bytes for a changed one', async () => {
    const rows = sampleNodes(30);
    const first = await renderHeatmapPng(heatmapMatrix(rows, LAST_DATE));
    const second = await renderHeatmapPng(heatmapMatrix(structuredClone(rows), LAST_DATE));
    expect(second.svg).toBe(first.svg);
    expect(second.png.equals(first.png)).toBe(true);

    const changed = structuredClone(rows);
    if (changed[0] !== undefined) changed[0].nodeName = 'Renamed';
    const third = await renderHeatmapPng(heatmapMatrix(changed, LAST_DATE));
    expect(third.png.equals(first.png)).toBe(false);
  });
});
