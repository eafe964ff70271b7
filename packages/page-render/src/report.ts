import { PageRenderError } from './errors.js';
import { daysJson, nodeContext, statusContext } from './node-context.js';
import { templates } from './templates.js';
import type { NodePageView, SummaryView } from './types.js';
import { cleanStrings } from './xml-text.js';

/** File name the report index links for the stylesheet; write {@link reportStylesheet} there. */
export const REPORT_STYLESHEET_FILE = 'report.css';
/** File name node pages link back to. */
export const REPORT_INDEX_FILE = 'index.html';
/** The scripts that draw the history chart on each node page, next to the pages in the report. */
export const REPORT_CHART_SCRIPTS = { vega: 'vega.min.js', chart: 'history-chart.js' } as const;

export interface ReportIndexOptions {
  /** Path of the heatmap image relative to the index, e.g. `heatmap.png`; no heatmap when absent. */
  heatmapFile?: string;
}

/** The local report's stylesheet (no fonts or images from elsewhere). */
export function reportStylesheet(): string {
  return templates().reportCss;
}

/**
 * File name of a node's page in the local report: letters, digits and `-` of the node id are
 * kept, every other character is written as `_<hex>_`, so different ids never share a file.
 */
export function reportNodeFileName(nodeId: string): string {
  const safe = Array.from(nodeId, (char) =>
    /[A-Za-z0-9-]/.test(char) ? char : `_${(char.codePointAt(0) ?? 0).toString(16)}_`,
  ).join('');
  return `node-${safe}.html`;
}

/** The report's `index.html`: the summary table linking each node's page, and the heatmap. */
export function renderReportIndex(view: SummaryView, options: ReportIndexOptions = {}): string {
  const clean = cleanStrings(view);
  return templates().reportIndex({
    rows: clean.rows.map((row) => ({
      ...row,
      status: statusContext(row.status),
      file: reportNodeFileName(row.nodeId),
    })),
    heatmapFile: options.heatmapFile === undefined ? null : relativeUrl(options.heatmapFile),
    heatmapCaption: clean.heatmap?.caption ?? 'Fehlerrate pro Knoten und Tag',
  });
}

/** A node's page of the local report, with the fields of its Confluence page. */
export function renderReportNodePage(view: NodePageView): string {
  const context = nodeContext(view);
  return templates().reportNode({
    ...context,
    title: `${context.commonName} – Broker-Monitor`,
    chartScripts: REPORT_CHART_SCRIPTS,
    daysJson: daysJson(view.days),
  });
}

// The report must open offline: only paths relative to the index are accepted.
function relativeUrl(path: string): string {
  if (/^[\\/]/.test(path) || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) {
    throw new PageRenderError(`heatmapFile must be a relative path, got "${path}"`);
  }
  return path.split('/').map(encodeURIComponent).join('/');
}
