import { createRequire } from 'node:module';
import { type BBox, Resvg } from '@resvg/resvg-js';
import type { HeatmapMatrix } from './matrix.js';
import { createPngWriter } from './png.js';
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
// Rows drawn at once: about 2 MB of canvas at the heatmap's width.
const BAND_ROWS = 512;
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

/** Where the drawn content is, in the SVG's coordinates, with the margin; whole pixels. */
interface ContentBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** resvg's own BBox of the content, reused to crop each band: resvg takes only its own back. */
  crop: BBox;
}

/**
 * Shrinks the canvas to what is drawn. Without a canvas library Vega estimates every text as
 * 0.8 em per character, about a third wider than DejaVu Sans, and reserves that much room; resvg
 * lays the text out with the real font and tells the true extent. Returns the cut SVG and resvg's
 * tree of it, so the SVG is parsed only once, with the box to draw (undefined: nothing drawn).
 */
function fitToContent(svg: string): { svg: string; resvg: Resvg; box: ContentBox | undefined } {
  const resvg = new Resvg(svg, RESVG_OPTIONS);
  const bbox = resvg.getBBox();
  if (bbox === undefined) return { svg, resvg, box: undefined };
  const x = Math.floor(bbox.x) - MARGIN;
  const y = Math.floor(bbox.y) - MARGIN;
  const box = {
    x,
    y,
    width: Math.ceil(bbox.x + bbox.width) + MARGIN - x,
    height: Math.ceil(bbox.y + bbox.height) + MARGIN - y,
    crop: bbox,
  };
  return {
    svg: svg.replace(
      SVG_SIZE_PATTERN,
      `$1 width="${box.width}" height="${box.height}" viewBox="${x} ${y} ${box.width} ${box.height}"`,
    ),
    resvg,
    box,
  };
}

function drawAtOnce(resvg: Resvg): { png: Buffer; width: number; height: number } {
  const rendered = resvg.render();
  return { png: rendered.asPng(), width: rendered.width, height: rendered.height };
}

/** What a caller can do while the heatmap is drawn. */
export interface RasterizeOptions {
  /**
   * Called after each band is drawn, before the next one: a process started with `--expose-gc`
   * can collect the band's canvas here. resvg's canvases are native memory that V8 does not see,
   * so no collection comes by itself, and each band would otherwise stay until the end.
   */
  afterBand?: () => void;
}

/**
 * Draws the box in bands of BAND_ROWS rows into one PNG. resvg needs about twice its canvas while
 * it draws (some 17 MB for 150 nodes at once); a band needs a fifth of that, once each band's
 * canvas is freed before the next. Rows within two pixels of a band's edge may differ by a few
 * levels from a drawing in one piece, where an edge's antialiasing is cut.
 */
async function drawInBands(resvg: Resvg, box: ContentBox, options: RasterizeOptions): Promise<Buffer> {
  const png = createPngWriter(box.width, box.height);
  for (let top = 0; top < box.height; top += BAND_ROWS) {
    Object.assign(box.crop, {
      x: box.x,
      y: box.y + top,
      width: box.width,
      height: Math.min(BAND_ROWS, box.height - top),
    });
    resvg.cropByBBox(box.crop);
    png.addRows(resvg.render().pixels);
    options.afterBand?.();
    // The native memory of a collected canvas is freed by a finalizer that Node runs on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return png.finish();
}

/** The heatmap as SVG, laid out by Vega without a browser or canvas, cut to its content. */
export async function renderHeatmapSvg(matrix: HeatmapMatrix): Promise<string> {
  return fitToContent((await layOutHeatmap(matrix)).svg).svg;
}

/** The second step of `renderHeatmapPng`: cuts the layout to its content and draws it with resvg. */
export async function rasterizeHeatmap(
  layout: HeatmapLayout,
  options: RasterizeOptions = {},
): Promise<HeatmapImage> {
  const { svg, resvg, box } = fitToContent(layout.svg);
  const drawn =
    box === undefined
      ? drawAtOnce(resvg)
      : { png: await drawInBands(resvg, box, options), width: box.width, height: box.height };
  return {
    png: drawn.png,
    width: drawn.width,
    height: drawn.height,
    svg,
    shownNodes: layout.shownNodes,
    hiddenNodes: layout.hiddenNodes,
    caption: layout.caption,
  };
}

/** The heatmap as PNG (and the SVG it came from); the same matrix gives the same bytes. */
export async function renderHeatmapPng(matrix: HeatmapMatrix): Promise<HeatmapImage> {
  return rasterizeHeatmap(await layOutHeatmap(matrix));
}
