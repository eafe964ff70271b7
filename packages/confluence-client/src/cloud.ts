/*
 * Confluence Cloud through the REST API v2: Cloud removed the v1 content endpoints (410 Gone) but
 * keeps the v1 attachment uploads, which the caller passes in. Same interface as Data Center.
 */
import type { AttachmentUpload, ConfluenceClient, PageUpdate } from './client.js';
import {
  type ConfluenceAttachment,
  type ConfluencePage,
  toCloudAttachment,
  toCloudPage,
  toIdAndTitle,
  toListing,
  toSpaceId,
  type Where,
} from './content.js';
import { ConfluenceSpaceNotFoundError } from './errors.js';
import { BODY_PAGE_SIZE, pagedResults } from './listing.js';
import { createOnce, updateOnce } from './page-writes.js';
import type { OutgoingRequest } from './transport.js';

export interface CloudContext {
  /** Ending in /wiki. */
  siteUrl: string;
  spaceKey: string | undefined;
  sendJson: (request: OutgoingRequest) => Promise<{ json: unknown; where: Where }>;
  /** `_links.next` resolved against the site URL. */
  nextUrl: (next: string) => string;
  /** The v1 upload (create or new version), which Cloud keeps. */
  uploadAttachment: (
    findAttachment: (pageId: string, fileName: string) => Promise<ConfluenceAttachment | undefined>,
  ) => (pageId: string, upload: AttachmentUpload) => Promise<ConfluenceAttachment>;
  downloadAttachment: ConfluenceClient['downloadAttachment'];
  close: () => Promise<void>;
}

/** v2's largest page of results. */
const pageSize = 250;

export function createCloudClient(context: CloudContext): ConfluenceClient {
  const { siteUrl, sendJson } = context;
  const apiUrl = `${siteUrl}/api/v2`;
  // Looked up once per key and client (a run); the map also turns ids back into keys.
  const spaceIds = new Map<string, Promise<string>>();
  const spaceKeys = new Map<string, string>();
  const spaceKeyOf = (id: string) => spaceKeys.get(id);

  const getJson = (path: string, query: Record<string, string>) =>
    sendJson({ method: 'GET', url: `${apiUrl}${path}?${new URLSearchParams(query)}` });

  const spaceIdOf = (key: string): Promise<string> => {
    let id = spaceIds.get(key);
    if (id === undefined) {
      id = getJson('/spaces', { keys: key }).then(({ json, where }) => {
        const found = toSpaceId(json, key, where);
        if (found === undefined) throw new ConfluenceSpaceNotFoundError(key, where);
        spaceKeys.set(found, key);
        return found;
      });
      // A failed lookup (network, 5xx) is tried again by the next call.
      id.catch(() => spaceIds.delete(key));
      spaceIds.set(key, id);
    }
    return id;
  };

  const listPaged = (path: string, query: Record<string, string>) =>
    pagedResults(
      sendJson,
      `${apiUrl}${path}?${new URLSearchParams({ ...query, limit: String(pageSize) })}`,
      context.nextUrl,
    );

  const getPage = async (id: string) => {
    const { json, where } = await getJson(`/pages/${encodeURIComponent(id)}`, { 'body-format': 'storage' });
    return toCloudPage(json, siteUrl, where, spaceKeyOf);
  };

  const findPage = async (space: string, title: string) => {
    const spaceId = await spaceIdOf(space);
    const { json, where } = await getJson('/pages', {
      'space-id': spaceId,
      title,
      'body-format': 'storage',
    });
    const pages = toListing(json, where).results.map((item) => toCloudPage(item, siteUrl, where, spaceKeyOf));
    return pages.find((p) => p.title === title) ?? pages[0];
  };

  const putPage = async (update: PageUpdate, version: number) => {
    const { json, where } = await sendJson({
      method: 'PUT',
      url: `${apiUrl}/pages/${encodeURIComponent(update.id)}`,
      json: {
        id: update.id,
        status: 'current',
        title: update.title,
        body: { representation: 'storage', value: update.body },
        // v2 has no minor edits: Cloud decides about notifications itself.
        version: { number: version, message: update.versionMessage ?? '' },
      },
    });
    return toCloudPage(json, siteUrl, where, spaceKeyOf, { body: update.body });
  };

  const updatePage = (update: PageUpdate): Promise<ConfluencePage> =>
    updateOnce(
      update,
      (version) => putPage(update, version),
      () => getPage(update.id),
    );

  const findAttachment = async (pageId: string, fileName: string) => {
    const { json, where } = await getJson(`/pages/${encodeURIComponent(pageId)}/attachments`, {
      filename: fileName,
    });
    const match = toListing(json, where).results.map((item) => toCloudAttachment(item, where));
    return match.find((a) => a.fileName === fileName);
  };

  /** The pages with these ids, bodies and versions included, in bulk requests of BODY_PAGE_SIZE ids (v2 takes up to 250). */
  async function* pagesById(ids: readonly string[]) {
    for (let start = 0; start < ids.length; start += BODY_PAGE_SIZE) {
      const chunk = ids.slice(start, start + BODY_PAGE_SIZE);
      const byId = new Map<string, ConfluencePage>();
      const listing = listPaged('/pages', { id: chunk.join(','), 'body-format': 'storage' });
      for await (const { results, where } of listing) {
        for (const item of results) {
          const page = toCloudPage(item, siteUrl, where, spaceKeyOf);
          byId.set(page.id, page);
        }
      }
      // In the order of the children listing; a page deleted in between is left out.
      for (const id of chunk) {
        const page = byId.get(id);
        if (page !== undefined) yield page;
      }
    }
  }

  return {
    siteUrl,
    findPage,
    getPage,

    async *childPages(parentId) {
      // The children listing has ids and titles only; bodies and versions come in bulk, one
      // listing page of ids at a time, BODY_PAGE_SIZE bodies an answer.
      const listing = listPaged(`/pages/${encodeURIComponent(parentId)}/children`, {});
      for await (const { results, where } of listing) {
        const ids = results.map((item) => toIdAndTitle(item, where).id);
        for await (const page of pagesById(ids)) yield { ...page, parentId: page.parentId ?? parentId };
      }
    },

    async createPage(page) {
      const space = page.space ?? context.spaceKey;
      if (space === undefined || space === '')
        throw new TypeError('createPage needs a space (or the spaceKey option)');
      const spaceId = await spaceIdOf(space);
      const created = await createOnce(
        async () => {
          const { json, where } = await sendJson({
            method: 'POST',
            url: `${apiUrl}/pages`,
            json: {
              spaceId,
              status: 'current',
              title: page.title,
              ...(page.parentId === undefined ? {} : { parentId: page.parentId }),
              body: { representation: 'storage', value: page.body },
            },
          });
          return toCloudPage(json, siteUrl, where, spaceKeyOf, { body: page.body });
        },
        () => findPage(space, page.title),
        page.parentId,
      );
      if (page.versionMessage === undefined || page.versionMessage === '') return created;
      if (created.version.message === page.versionMessage) return created;
      // v2's create takes no version message; the callers keep theirs (e.g. an input hash) in it,
      // so it is written as version 2 with the same body.
      return updatePage({
        id: created.id,
        title: page.title,
        body: page.body,
        version: created.version.number + 1,
        versionMessage: page.versionMessage,
      });
    },

    updatePage,

    async listAttachments(pageId) {
      const all: ConfluenceAttachment[] = [];
      for await (const { results, where } of listPaged(
        `/pages/${encodeURIComponent(pageId)}/attachments`,
        {},
      )) {
        all.push(...results.map((item) => toCloudAttachment(item, where)));
      }
      return all;
    },

    uploadAttachment: context.uploadAttachment(findAttachment),
    downloadAttachment: context.downloadAttachment,
    close: context.close,
  };
}
