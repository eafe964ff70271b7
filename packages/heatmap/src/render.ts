import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { HeatmapMatrix } from './matrix.js';
import { HEATMAP_FONT_FAMILY, heatmapSpec } from './spec.js';
import { compile, parse, View } from './vega.js';

// Shipped by the `dejavu-fonts-ttf` dependency, so text renders the same on a machine without
// any system fonts; system fonts are not loaded at all, which also keeps the bytes reproducible.
const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

export interface HeatmapImage {
  png: Buffer;
  svg: string;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
  shownNodes: number;
  hiddenNodes: number;
  /** Same as `HeatmapMatrix.caption`: `''` when every node is shown. */
  caption: string;
}

const RESVG_OPTIONS = {
  font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: HEATMAP_FONT_FAMILY },
  background: '#ffffff',
};
// White space kept around the drawn content.
const MARGIN = 12;
const GROUP_BACKGROUND_PATTERN = /<path class="background"[^>]*\/>/g;
const SVG_SIZE_PATTERN = /^(<svg[^>]*?) width="[\d.]+" height="[\d.]+" viewBox="[^"]*"/;

/**
 * The heatmap as Vega laid it out: its SVG before it is cut to the drawn content, and what
 * `HeatmapImage` reports of the matrix. The first of the two steps of `renderHeatmapPng`.
 */
export interface HeatmapLayout {
  svg: string;
  shownNodes: number;
  hiddenNodes: number;
  caption: string;
}

/**
 * Lays the heatmap out with Vega, without a browser or canvas. Vega's dataflow and scenegraph are
 * garbage once this returns: a caller that watches its peak memory can have them collected
 * before `rasterizeHeatmap` allocates the image (a canvas of about 1000 × 2350 pixels).
 */
export async function layOutHeatmap(matrix: HeatmapMatrix): Promise<HeatmapLayout> {
  const view = new View(parse(compile(heatmapSpec(matrix)).spec), { renderer: 'none' });
  try {
    // Vega's group backgrounds are unfilled and unstroked, so invisible, but span the estimated
    // text sizes (see `fitToContent`) and would count as content.
    const svg = (await view.toSVG()).replace(GROUP_BACKGROUND_PATTERN, '');
    return {
      svg,
      shownNodes: matrix.rows.length,
      hiddenNodes: matrix.hiddenNodes,
      caption: matrix.caption,
    };
  } finally {
    view.finalize();
  }
}

/**
 * Shrinks the canvas to what is drawn. Without a canvas library Vega estimates every text as
 * 0.8 em per character, about a third wider than DejaVu Sans, and reserves that much room; resvg
 * lays the text out with the real font and tells the true extent. Returns the cut SVG and resvg's
 * tree of it, cut the same way, so the SVG is parsed only once.
 */
function fitToContent(svg: string): { svg: string; resvg: Resvg } {
  const resvg = new Resvg(svg, RESVG_OPTIONS);
  const box = resvg.getBBox();
  if (box === undefined) return { svg, resvg };
  const x = Math.floor(box.x) - MARGIN;
  const y = Math.floor(box.y) - MARGIN;
  const width = Math.ceil(box.x + box.width) + MARGIN - x;
  const height = Math.ceil(box.y + box.height) + MARGIN - y;
  // resvg takes only its own BBox object back.
  Object.assign(box, { x, y, width, height });
  resvg.cropByBBox(box);
  return {
    svg: svg.replace(
      SVG_SIZE_PATTERN,
      `$1 width="${width}" height="${height}" viewBox="${x} ${y} ${width} ${height}"`,
    ),
    resvg,
  };
}

/** The heatmap as SVG, laid out by Vega without a browser or canvas, cut to its content. */
export async function renderHeatmapSvg(matrix: HeatmapMatrix): Promise<string> {
  return fitToContent((await layOutHeatmap(matrix)).svg).svg;
}

/** The second step of `renderHeatmapPng`: cuts the layout to its content and draws it with resvg. */
export function rasterizeHeatmap(layout: HeatmapLayout): HeatmapImage {
  const { svg, resvg } = fitToContent(layout.svg);
  const rendered = resvg.render();
  return {
    png: rendered.asPng(),
    svg,
    width: rendered.width,
    height: rendered.height,
    shownNodes: layout.shownNodes,
    hiddenNodes: layout.hiddenNodes,
    caption: layout.caption,
  };
}

/** The heatmap as PNG (and the SVG it came from); the same matrix gives the same bytes. */
export async function renderHeatmapPng(matrix: HeatmapMatrix): Promise<HeatmapImage> {
  return rasterizeHeatmap(await layOutHeatmap(matrix));
}
