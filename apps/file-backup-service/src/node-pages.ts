import { ServiceUnavailableError } from '@broker-monitor/app-runtime';
import {
  type ConfluenceConnection,
  confluenceStartFailure,
  PARENT_PAGE_TITLE,
} from '@broker-monitor/app-runtime/confluence';
import type { ConfluenceClient, ConfluencePage } from '@broker-monitor/confluence-client';

export interface NodePages {
  /** The parent page, when the space has it. */
  parent: ConfluencePage | undefined;
  /** Page id by title, for the titles that have a page in the space. */
  found: Map<string, string>;
  /** Titles whose own lookup failed (after retries): those nodes fail, the others go on. */
  lookupErrors: Map<string, unknown>;
}

/**
 * Finds the pages with these titles in the space with as few requests as possible: one children
 * listing of the parent page covers the pages the reporter created; only a title not found there
 * (a page someone moved, or no parent page at all) costs one title lookup in the space.
 * Errors of the parent lookup and the children listing are thrown: without them nothing works.
 */
export async function findNodePages(
  client: ConfluenceClient,
  space: string,
  titles: readonly string[],
): Promise<NodePages> {
  const parent = await client.findPage(space, PARENT_PAGE_TITLE);
  const found = new Map<string, string>();
  const wanted = new Set(titles);
  if (parent !== undefined) {
    for await (const child of client.childPages(parent.id)) {
      if (wanted.has(child.title) && !found.has(child.title)) found.set(child.title, child.id);
    }
  }
  const lookupErrors = new Map<string, unknown>();
  await Promise.all(
    [...wanted]
      .filter((title) => !found.has(title))
      .map(async (title) => {
        try {
          const page = await client.findPage(space, title);
          if (page !== undefined) found.set(title, page.id);
        } catch (error) {
          lookupErrors.set(title, error);
        }
      }),
  );
  return { parent, found, lookupErrors };
}

/**
 * The first requests decide whether anything can be done: Confluence unreachable, our token refused,
 * or a space without the parent page or any node page (a wrong CONFLUENCE.SPACE) stop the run (exit 3).
 */
export async function findPagesOrStop(
  confluence: ConfluenceConnection,
  titles: readonly string[],
): Promise<NodePages> {
  let pages: NodePages;
  try {
    pages = await findNodePages(confluence.client, confluence.space, titles);
  } catch (error) {
    throw confluenceStartFailure(error, confluence);
  }
  if (pages.parent !== undefined || pages.found.size > 0) return pages;
  const [firstError] = pages.lookupErrors.values();
  // Every lookup failed: the server, not a page, is the problem.
  if (firstError !== undefined && pages.lookupErrors.size === titles.length)
    throw confluenceStartFailure(firstError, confluence);
  if (firstError === undefined) {
    throw new ServiceUnavailableError(
      `space ${confluence.space} has neither the page "${PARENT_PAGE_TITLE}" nor any of the ${titles.length} node pages`,
      'CONFLUENCE.SPACE',
    );
  }
  return pages;
}
