/*
 * Confluence Cloud's REST API v2 (`/wiki/api/v2`), the part a monitor uses: spaces by key, pages by
 * space and title or by id in bulk, a page's children, create, update, and a page's attachments,
 * with cursor pagination (default 25, at most 250) in `_links.next` and the `Link` header.
 */
import type { LinkBase } from './render.js';
import { ApiError, latest, type Site, type StoredAttachment, type StoredPage } from './site.js';

export interface CloudListOptions {
  /** The largest `limit` honoured; Cloud's is 250. */
  maxPageSize: number;
}

export interface CloudReply {
  json: object;
  /** The `Link` header of a listing with more results. */
  link?: string | undefined;
}

export interface CloudRequest {
  method: string;
  url: URL;
  /** Below `/api/v2`, split at '/' and decoded. */
  segments: readonly string[];
  json: () => unknown;
}

const accountId = '5b10ac8d82e05b22cc7d4ef5';

/** Space ids are numbers on Cloud, unrelated to page ids; derived from the key's position. */
export function spaceId(site: Site, key: string): string {
  return String(98_000 + [...site.spaces].indexOf(key));
}

function spaceKeyOf(site: Site, id: string): string | undefined {
  return [...site.spaces].find((key) => spaceId(site, key) === id);
}

export function serveCloudApi(
  site: Site,
  request: CloudRequest,
  links: LinkBase,
  options: CloudListOptions,
): CloudReply {
  const { method, url, segments } = request;
  const [collection, id, sub, ...rest] = segments;
  const query = url.searchParams;
  const list = (items: readonly object[]) => cursorList(items, url, options, links);

  if (collection === 'spaces' && id === undefined) {
    allow(method, 'GET');
    const keys = csv(query.get('keys'));
    const found = [...site.spaces].filter((key) => keys === undefined || keys.includes(key));
    return list(found.map((key) => renderSpace(site, key, links)));
  }
  if (collection !== 'pages') throw new ApiError(404, `No API at /api/v2/${segments.join('/')}`);
  const withBody = query.get('body-format') === 'storage';

  if (id === undefined) {
    if (method === 'POST') {
      const input = request.json();
      const spaceKey = spaceKeyOf(site, requireString(input, 'spaceId'));
      if (spaceKey === undefined) throw new ApiError(404, 'Space not found');
      // v2 takes no version message on create: version 1 always has an empty one.
      const page = site.createPage({
        spaceKey,
        title: requireString(input, 'title'),
        body: storageBody(input),
        parentId: optionalString(input, 'parentId'),
      });
      return { json: renderPage(site, page, withBody, links) };
    }
    allow(method, 'GET');
    const ids = csv(query.get('id'));
    if (ids !== undefined && ids.length > 250) throw new ApiError(400, 'id: at most 250 ids');
    const spaceIds = csv(query.get('space-id'));
    const title = query.get('title');
    const found = site
      .allPages()
      .filter(
        (p) =>
          (ids === undefined || ids.includes(p.id)) &&
          (spaceIds === undefined || spaceIds.includes(spaceId(site, p.spaceKey))) &&
          (title === null || p.title === title),
      );
    return list(found.map((p) => renderPage(site, p, withBody, links)));
  }

  if (sub === undefined) {
    if (method === 'GET') return { json: renderPage(site, site.page(id), withBody, links) };
    allow(method, 'PUT');
    const input = request.json();
    const versionNumber = get(input, 'version', 'number');
    if (typeof versionNumber !== 'number') throw new ApiError(400, 'version.number is required');
    const page = site.updatePage({
      id,
      title: requireString(input, 'title'),
      body: storageBody(input),
      versionNumber,
      versionMessage: optionalString(input, 'version', 'message') ?? '',
      minorEdit: false,
      parentId: optionalString(input, 'parentId'),
    });
    return { json: renderPage(site, page, true, links) };
  }
  if (rest.length > 0) throw new ApiError(404, `No API at /api/v2/${segments.join('/')}`);
  allow(method, 'GET');
  if (sub === 'children') {
    return list(
      site.children(id).map((p, position) => ({
        id: p.id,
        status: 'current',
        title: p.title,
        spaceId: spaceId(site, p.spaceKey),
        childPosition: position,
      })),
    );
  }
  if (sub === 'attachments') {
    const fileName = query.get('filename');
    const found = site.attachmentsOf(id).filter((a) => fileName === null || a.fileName === fileName);
    return list(found.map((a) => renderAttachment(a, links)));
  }
  throw new ApiError(404, `No API at /api/v2/${segments.join('/')}`);
}

function renderSpace(site: Site, key: string, links: LinkBase): object {
  return {
    id: spaceId(site, key),
    key,
    name: key,
    type: 'global',
    status: 'current',
    authorId: accountId,
    createdAt: '2019-01-01T00:00:00.000Z',
    homepageId: undefined,
    description: null,
    icon: null,
    _links: { webui: `/spaces/${key}`, base: links.base },
  };
}

function renderPage(site: Site, page: StoredPage, withBody: boolean, links: LinkBase): object {
  const first = page.versions[0];
  const current = latest(page.versions);
  const title = encodeURIComponent(page.title).replaceAll('%20', '+');
  return {
    id: page.id,
    status: 'current',
    title: page.title,
    spaceId: spaceId(site, page.spaceKey),
    parentId: page.parentId ?? null,
    parentType: page.parentId === undefined ? null : 'page',
    position: 0,
    authorId: accountId,
    ownerId: accountId,
    lastOwnerId: null,
    createdAt: first?.when.toISOString(),
    version: {
      createdAt: current.when.toISOString(),
      message: current.message,
      number: current.number,
      minorEdit: current.minorEdit,
      authorId: accountId,
    },
    body: withBody ? { storage: { representation: 'storage', value: current.body } } : {},
    _links: {
      webui: `/spaces/${page.spaceKey}/pages/${page.id}/${title}`,
      editui: `/pages/resumedraft.action?draftId=${page.id}`,
      tinyui: `/x/${Buffer.from(page.id).toString('base64url')}`,
      base: links.base,
    },
  };
}

function renderAttachment(attachment: StoredAttachment, links: LinkBase): object {
  const current = latest(attachment.versions);
  const name = encodeURIComponent(attachment.fileName);
  const download = `/download/attachments/${attachment.pageId}/${name}?version=${current.number}&modificationDate=${current.when.getTime()}&cacheVersion=1&api=v2`;
  const webui = `/pages/viewpageattachments.action?pageId=${attachment.pageId}&preview=%2F${attachment.pageId}%2F${attachment.id}%2F${name}`;
  return {
    id: attachment.id,
    status: 'current',
    title: attachment.fileName,
    createdAt: current.when.toISOString(),
    pageId: attachment.pageId,
    mediaType: current.mediaType,
    mediaTypeDescription: current.mediaType,
    comment: current.comment,
    fileId: `${attachment.id}-file`,
    fileSize: current.content.length,
    webuiLink: webui,
    downloadLink: download,
    version: {
      createdAt: current.when.toISOString(),
      message: current.comment,
      number: current.number,
      minorEdit: current.minorEdit,
      authorId: accountId,
    },
    _links: { webui, download, base: links.base },
  };
}

/**
 * One page of results. The cursor is opaque to clients (here the offset, encoded); the next link
 * starts with the context path (`/wiki/api/v2/…`), as on Cloud, and carries the other parameters.
 */
function cursorList(
  items: readonly object[],
  url: URL,
  options: CloudListOptions,
  links: LinkBase,
): CloudReply {
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? 25 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
    throw new ApiError(400, 'limit must be an integer between 1 and 250');
  }
  const cursor = url.searchParams.get('cursor');
  const start = cursor === null ? 0 : decodeCursor(cursor);
  const window = Math.min(limit, options.maxPageSize);
  const results = items.slice(start, start + window);
  const json: { results: object[]; _links: Record<string, string> } = {
    results,
    _links: { base: links.base },
  };
  if (start + window >= items.length) return { json };
  const next = new URLSearchParams(url.searchParams);
  next.set('cursor', Buffer.from(`offset:${start + window}`).toString('base64url'));
  json._links.next = `${url.pathname}?${next.toString()}`;
  return { json, link: `<${json._links.next}>; rel="next", <${links.base}>; rel="base"` };
}

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ApiError(400, 'Invalid cursor');
  return Number(match[1]);
}

function csv(text: string | null): string[] | undefined {
  return text === null ? undefined : text.split(',').filter((item) => item !== '');
}

function allow(method: string, allowed: string): void {
  if (method !== allowed) throw new ApiError(405, `Method ${method} is not allowed here`);
}

function get(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function requireString(value: unknown, ...path: string[]): string {
  const found = get(value, ...path);
  if (typeof found === 'string') return found;
  if (typeof found === 'number') return String(found);
  throw new ApiError(400, `${path.join('.')} is required`);
}

function optionalString(value: unknown, ...path: string[]): string | undefined {
  const found = get(value, ...path);
  if (typeof found === 'number') return String(found);
  return typeof found === 'string' ? found : undefined;
}

function storageBody(input: unknown): string {
  if (get(input, 'body', 'representation') !== 'storage') {
    throw new ApiError(400, 'body.representation must be "storage"');
  }
  return requireString(input, 'body', 'value');
}
