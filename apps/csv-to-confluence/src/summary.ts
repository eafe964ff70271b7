import { HEATMAP_DAYS, type HeatmapRanking } from '@broker-monitor/heatmap/matrix';
import type { StoredPage, SummaryRowView } from '@broker-monitor/page-render';
import { summarySum } from '@broker-monitor/status-rules';

/** File name of the heatmap: next to index.html in the local report, attached to the parent page in Confluence. */
export const HEATMAP_FILE = 'heatmap.png';

export interface HeatmapPicture {
  png: Buffer;
  /** Said under the image and used as its alternative text. */
  caption: string;
}

/**
 * The error-rate heatmap of the ranked (non-TESTING) nodes; undefined when there is no such node.
 * The ranking holds only the (at most 150) nodes drawn, not the 42 days of every node.
 */
export async function renderHeatmap(ranking: HeatmapRanking): Promise<HeatmapPicture | undefined> {
  if (ranking.size === 0) return undefined;
  // The heatmap comes on top of what the pages left, in three parts: Vega and resvg (loaded only
  // now: the node loop imports only the matrix subpath), Vega's layout (with the loading some
  // 5 MB with 150 nodes shown) and resvg's tree and canvas (some 15 MB, native, drawn in bands).
  // The bin (started with --expose-gc) hands the garbage of each part back before the next one
  // allocates, so the parts do not add up in the peak RSS; the first collection, before Vega is
  // loaded, returns what the node loop left.
  releaseMemory();
  const { layOutHeatmap, rasterizeHeatmap } = await import('@broker-monitor/heatmap');
  const matrix = ranking.matrix();
  releaseMemory();
  const layout = await layOutHeatmap(matrix);
  releaseMemory();
  // resvg's tree and canvases are native memory, freed when their wrappers are collected: each
  // band's canvas before the next band is drawn, the tree at the end.
  const image = await rasterizeHeatmap(layout, { afterBand: collectGarbage });
  releaseMemory();
  // The image carries its own title and legend; the caption is its alternative text.
  const caption = `Tägliche Fehlerrate je Knoten, letzte ${HEATMAP_DAYS} Tage`;
  return { png: image.png, caption: image.caption === '' ? caption : `${caption} (${image.caption})` };
}

/** A summary row as a stored page shows it, without the node's id and name. */
export type StoredSummary = Omit<SummaryRowView, 'nodeId' | 'commonName'>;

/**
 * The summary values of a node whose page exists but is not rendered in this run (no folder, no
 * stats yet, or its files are broken): what its stored page shows, as the original reads every
 * row back from the pages.
 */
export function storedSummary(page: StoredPage): StoredSummary {
  const field = (name: string) => page.fields.get(name) || '-';
  return {
    interfaceImport: field('interface_import'),
    lastCheck: field('last_check'),
    status: page.status ?? { title: '-', color: 'Grey' },
    importsToday: sumOrDash(field('daily_imported'), field('daily_updated')),
    errorsToday: sumOrDash(field('daily_invalid'), field('daily_failed')),
    errorRateToday: field('daily_error_rate'),
    errorRate7d: field('error_rate'),
    // Pages written before these fields existed show none yet.
    availability30: page.fields.get('availability_30') || '—',
    note: page.fields.get('import_note') ?? '',
  };
}

// A stored page may hold anything a person typed; the original would crash on a non-number.
function sumOrDash(a: string, b: string): string {
  try {
    return summarySum(a, b);
  } catch {
    return '-';
  }
}

type GcFunction = (options: { type: 'major'; execution: 'sync'; flavor?: 'last-resort' }) => void;

/** One full collection, enough to collect a band's canvas wrapper; a no-op without --expose-gc. */
function collectGarbage(): void {
  (globalThis as { gc?: GcFunction }).gc?.({ type: 'major', execution: 'sync' });
}

/** A full collection that also returns free memory to the system; a no-op without --expose-gc. */
function releaseMemory(): void {
  (globalThis as { gc?: GcFunction }).gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
