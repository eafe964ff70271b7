import { chartTables, nodeContext } from './node-context.js';
import { type StoredPage, TEMPLATE_VERSION } from './stored-page.js';
import { templates } from './templates.js';
import type { NodePageView } from './types.js';

/** What a new render keeps of the stored page: `readStoredPage` of its body gives them. */
export type KeptPageParts = Pick<StoredPage, 'onlineSince' | 'notes'>;

/**
 * Renders a node's page body in Confluence storage format from our template. From a stored
 * page it keeps the `online_since` element (when it holds a date) and the notes, unchanged;
 * everything else is rendered anew, which also migrates pages of older templates.
 */
export function renderNodePage(view: NodePageView, kept?: KeptPageParts): string {
  const context = nodeContext(view);
  const onlineSinceCell =
    kept?.onlineSince?.date !== undefined
      ? kept.onlineSince.element
      : // nodeContext has checked that the date is YYYY-MM-DD, so it needs no escaping.
        `<td class="online_since">${context.onlineSince === null ? '' : `<time datetime="${context.onlineSince}"></time>`}</td>`;
  return templates().nodePage({
    ...context,
    ...chartTables(view.days),
    onlineSinceCell,
    notes: kept?.notes ?? '',
    templateVersion: TEMPLATE_VERSION,
  });
}
