import type { ConfluenceEmulator, ConfluenceFlavour } from '@broker-monitor/confluence-emulator';

/**
 * The requests (`METHOD path` without the Cloud `/wiki`) each flavour's client sends for a step:
 * Data Center the v1 content API, Cloud the REST API v2.
 */
export function confluenceCalls(flavour: ConfluenceFlavour) {
  if (flavour === 'cloud') {
    return {
      /** Before the first title lookup: the space id. */
      start: ['GET /api/v2/spaces'],
      /** The first request of a run. */
      first: 'GET /api/v2/spaces',
      titleLookup: 'GET /api/v2/pages',
      /** The children's ids and titles, then their bodies in bulk. */
      children: (pageId: string) => [`GET /api/v2/pages/${pageId}/children`, 'GET /api/v2/pages'],
      attachments: (pageId: string) => `GET /api/v2/pages/${pageId}/attachments`,
    };
  }
  return {
    start: [],
    first: 'GET /rest/api/content',
    titleLookup: 'GET /rest/api/content',
    children: (pageId: string) => [`GET /rest/api/content/${pageId}/child/page`],
    attachments: (pageId: string) => `GET /rest/api/content/${pageId}/child/attachment`,
  };
}

/** How many pages were looked up by title (the query says it on Cloud, the path on Data Center). */
export function titleLookups(emulator: ConfluenceEmulator): number {
  return emulator.requests.filter((r) =>
    emulator.flavour === 'cloud'
      ? r.path === '/wiki/api/v2/pages' && new URLSearchParams(r.query).has('title')
      : r.path === '/rest/api/content',
  ).length;
}
