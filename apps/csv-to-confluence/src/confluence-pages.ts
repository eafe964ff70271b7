import { type Logger, ServiceUnavailableError } from '@broker-monitor/app-runtime';
import {
  type ConfluenceConnection,
  confluenceStartFailure,
  PARENT_PAGE_TITLE,
} from '@broker-monitor/app-runtime/confluence';
import type { ConfluencePage } from '@broker-monitor/confluence-client';
import { type KeptPageParts, readStoredPage } from '@broker-monitor/page-render';
import { type StoredSummary, storedSummary } from './summary.js';

export { PARENT_PAGE_TITLE };
/** Where the parent page is created when it is missing. */
export const ROOT_PAGE_TITLE = 'Support';

/** The configured Confluence: client, space, and whether it is Cloud (CONFLUENCE.EMAIL set). */
export type ConfluenceTarget = ConfluenceConnection;

/**
 * Runs a request of the run's start, where a failure means nothing can be done: Confluence
 * unreachable or refusing the credentials becomes a ServiceUnavailableError (exit 3) naming the
 * key to check.
 */
export async function atStart<T>(target: ConfluenceTarget, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw confluenceStartFailure(error, target);
  }
}

/**
 * A page without its body, which the run keeps for its version only: the parent's body is the
 * summary table, megabytes with 2000 nodes.
 */
export type ParentPage = Pick<ConfluencePage, 'id' | 'title' | 'version'>;

function withoutBody({ id, title, version }: ConfluencePage): ParentPage {
  return { id, title, version };
}

/**
 * A node page as found in Confluence, reduced to what a run needs of it: some 13 KB of body
 * become a few hundred bytes, so that all 2000 pages of a listing fit in little memory.
 */
export interface FoundPage extends ParentPage {
  /** `online_since` and notes, carried into the new render. */
  kept: KeptPageParts;
  versionTemplate: string | undefined;
  /** The page's summary values, for a node whose page is not rendered in this run. */
  summary: StoredSummary;
}

export function foundPage(page: ConfluencePage): FoundPage {
  const stored = readStoredPage(page.body);
  return {
    ...withoutBody(page),
    kept: { onlineSince: stored.onlineSince, notes: stored.notes },
    versionTemplate: stored.versionTemplate,
    summary: storedSummary(stored),
  };
}

/** The node pages under the parent by title, read one listing page (100 pages) at a time. */
export async function listNodePages(
  target: ConfluenceTarget,
  parent: ParentPage,
): Promise<Map<string, FoundPage>> {
  const byTitle = new Map<string, FoundPage>();
  for await (const page of target.client.childPages(parent.id)) byTitle.set(page.title, foundPage(page));
  return byTitle;
}

/** The parent page; created under `Support` when missing. Neither page in the space: exit 3. */
export async function findOrCreateParent(target: ConfluenceTarget, logger: Logger): Promise<ParentPage> {
  const parent = await target.client.findPage(target.space, PARENT_PAGE_TITLE);
  if (parent !== undefined) return withoutBody(parent);
  const root = await target.client.findPage(target.space, ROOT_PAGE_TITLE);
  if (root === undefined) {
    throw new ServiceUnavailableError(
      `space ${target.space} has neither the page "${PARENT_PAGE_TITLE}" nor the page "${ROOT_PAGE_TITLE}" to create it under; create one of them`,
      'CONFLUENCE.SPACE',
    );
  }
  logger.info(
    { page: PARENT_PAGE_TITLE },
    `creating the page "${PARENT_PAGE_TITLE}" under "${ROOT_PAGE_TITLE}"`,
  );
  const created = await target.client.createPage({
    title: PARENT_PAGE_TITLE,
    body: '',
    space: target.space,
    parentId: root.id,
  });
  return withoutBody(created);
}
