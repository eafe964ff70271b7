import { statusContext } from './node-context.js';
import { templates } from './templates.js';
import type { SummaryView } from './types.js';
import { cleanStrings } from './xml-text.js';

/** Renders the parent page body: the summary table, then the heatmap if there is one. */
export function renderSummaryPage(view: SummaryView): string {
  const clean = cleanStrings(view);
  return templates().summaryPage({
    rows: clean.rows.map((row) => ({ ...row, status: statusContext(row.status) })),
    heatmap: clean.heatmap ?? null,
  });
}
