import { toListing, type Where } from './content.js';
import type { OutgoingRequest } from './transport.js';

/**
 * The results of a paged listing, one page of results at a time: the next page is requested only
 * when the caller has taken this one. `nextUrl` resolves `_links.next` against the site URL. An
 * empty page ends the walk even if a server (CONFSERVER-95396) still offers a next link.
 */
export async function* pagedResults(
  sendJson: (request: OutgoingRequest) => Promise<{ json: unknown; where: Where }>,
  firstUrl: string,
  nextUrl: (next: string) => string,
): AsyncGenerator<{ results: unknown[]; where: Where }> {
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    const { json, where } = await sendJson({ method: 'GET', url });
    const listing = toListing(json, where);
    yield { results: listing.results, where };
    url = listing.next !== undefined && listing.results.length > 0 ? nextUrl(listing.next) : undefined;
  }
}

/**
 * Pages per listing answer that carries their bodies (Data Center's own default). A node page's
 * body is some 13 KB, and an answer is held twice while it is read (its bytes, then its text and
 * objects): 25 bodies keep that under 1 MB, where 100 made the reporter's largest peak (2000
 * nodes: some 10 MB more).
 */
export const BODY_PAGE_SIZE = 25;
