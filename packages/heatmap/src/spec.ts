import type { TopLevelSpec } from 'vega-lite';
import {
  ERROR_RATE_BINS,
  type ErrorRateBin,
  HEATMAP_DAYS,
  type HeatmapMatrix,
  LAST_WEEK_DAYS,
  LAST_WEEK_WEIGHT,
} from './matrix.js';

/** The family of the font file that `renderHeatmapPng` hands to resvg; Vega writes it into the SVG. */
export const HEATMAP_FONT_FAMILY = 'DejaVu Sans';

/** Legend texts, one per bin; they are also the values of the colour field. */
export const ERROR_RATE_BIN_LABELS: Readonly<Record<ErrorRateBin, string>> = {
  'no-imports': 'keine Importe',
  'below-1': 'unter 1 %',
  'from-1': '1 bis unter 5 %',
  'from-5': '5 bis unter 10 %',
  'from-10': '10 % und mehr',
};

// Grey for "nothing to judge", then light green to red as the rate grows; the steps differ in
// lightness too, so they stay apart for colour-blind readers and in greyscale prints.
export const ERROR_RATE_BIN_COLOURS: Readonly<Record<ErrorRateBin, string>> = {
  'no-imports': '#bdbdbd',
  'below-1': '#c7e9c0',
  'from-1': '#fed976',
  'from-5': '#fd8d3c',
  'from-10': '#d7301f',
};

const COLUMN_WIDTH = 18;
// Few rows get roomier cells; from this count on rows shrink so 150 nodes stay about 2100 px tall.
const ROOMY_ROWS_UP_TO = 40;
const ROOMY_ROW_HEIGHT = 18;
const COMPACT_ROW_HEIGHT = 14;
// Long node names are cut with an ellipsis so they cannot push the cells off the image. Vega
// measures text as 0.8 em per character (no canvas), so this allows about 40 characters, which
// DejaVu Sans draws in about 270 px.
const NODE_LABEL_LIMIT = 350;
// A second date axis above the cells once the image is taller than one screen.
const TOP_AXIS_FROM_ROWS = 30;

/** `2025-11-03` → `03.11.2025` (German order, as on the pages). */
function germanDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/**
 * Row labels: node names, made unique so two nodes of the same name keep two rows (an ordinal
 * scale would merge them).
 */
function rowLabels(matrix: HeatmapMatrix): string[] {
  const seen = new Map<string, number>();
  return matrix.rows.map((row) => {
    const count = (seen.get(row.nodeName) ?? 0) + 1;
    seen.set(row.nodeName, count);
    return count === 1 ? row.nodeName : `${row.nodeName} (${count})`;
  });
}

// Weekday and day.month: weekends explain many "no imports" cells. utcday keeps it independent of
// the process time zone (a bare ISO date is parsed as UTC midnight).
const DATE_LABEL_EXPR =
  "['So','Mo','Di','Mi','Do','Fr','Sa'][utcday(toDate(datum.value))] + ' ' + " +
  "substring(datum.value, 8, 10) + '.' + substring(datum.value, 5, 7) + '.'";

/** The Vega-Lite spec of the heatmap: one rect per node and day, coloured by bin. */
export function heatmapSpec(matrix: HeatmapMatrix): TopLevelSpec {
  const labels = rowLabels(matrix);
  const values = matrix.rows.flatMap((row, index) =>
    row.cells.map((cell) => ({
      node: labels[index],
      date: cell.date,
      bin: ERROR_RATE_BIN_LABELS[cell.bin],
    })),
  );
  const firstDate = matrix.dates[0] ?? '';
  const lastDate = matrix.dates[matrix.dates.length - 1] ?? '';
  const subtitle = [
    `Ohne Knoten im Status TESTING; schlechteste zuerst, die letzten ${LAST_WEEK_DAYS} Tage ${LAST_WEEK_WEIGHT}-fach gewichtet`,
  ];
  if (matrix.caption !== '') subtitle.push(matrix.caption);
  if (matrix.rows.length === 0) subtitle.push('Keine Knoten mit Daten');

  const x = {
    field: 'date',
    type: 'ordinal' as const,
    title: null,
    scale: { domain: matrix.dates },
    axis: { labelExpr: DATE_LABEL_EXPR, labelAngle: -90, orient: 'bottom' as const },
  };
  const cells = {
    mark: { type: 'rect' as const, stroke: '#ffffff', strokeWidth: 1 },
    encoding: {
      x,
      y: {
        field: 'node',
        type: 'nominal' as const,
        title: null,
        scale: { domain: labels },
        axis: { labelLimit: NODE_LABEL_LIMIT },
      },
      color: {
        field: 'bin',
        type: 'nominal' as const,
        title: 'Tägliche Fehlerrate',
        scale: {
          domain: ERROR_RATE_BINS.map((bin) => ERROR_RATE_BIN_LABELS[bin]),
          range: ERROR_RATE_BINS.map((bin) => ERROR_RATE_BIN_COLOURS[bin]),
        },
        legend: {
          orient: 'top' as const,
          symbolType: 'square',
          symbolSize: 150,
          direction: 'horizontal' as const,
        },
      },
    },
  };
  const topAxis = labels.length >= TOP_AXIS_FROM_ROWS;

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Fehlerrate der Knoten an den letzten ${HEATMAP_DAYS} Tagen (${germanDate(firstDate)} – ${germanDate(lastDate)})`,
      subtitle,
      anchor: 'start',
      // Aligned with the cells: the axis-label area left of them is sized by Vega's wide estimate.
      frame: 'group',
    },
    width: { step: COLUMN_WIDTH },
    height: { step: labels.length <= ROOMY_ROWS_UP_TO ? ROOMY_ROW_HEIGHT : COMPACT_ROW_HEIGHT },
    // No background rect: it would hide the content's extent from the fitting; resvg paints white.
    background: 'transparent',
    padding: 12,
    data: { values },
    config: {
      font: HEATMAP_FONT_FAMILY,
      // No ARIA labels: a PNG cannot carry them, and they made the SVG three times as large.
      aria: false,
      view: { stroke: null },
      axis: { labelFontSize: 11, labelColor: '#222222', domain: false, ticks: false },
      axisX: { labelFontSize: 10 },
      legend: { labelFontSize: 11, titleFontSize: 11, columns: ERROR_RATE_BINS.length },
      title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#444444', offset: 12 },
    },
    ...(topAxis
      ? {
          layer: [
            cells,
            {
              // Invisible copy of the first row, only to carry the date axis on top.
              transform: [{ filter: { field: 'node', equal: labels[0] ?? '' } }],
              // fillOpacity, not opacity: resvg 2.6 aborts the process on an opacity group outside the viewport.
              mark: { type: 'rect' as const, fillOpacity: 0 },
              encoding: { x: { ...x, axis: { ...x.axis, orient: 'top' as const } }, y: cells.encoding.y },
            },
          ],
          resolve: { axis: { x: 'independent' as const } },
        }
      : cells),
  };
}
