import { type ConnectionPool, createConnectionPool, createLimiter } from '@broker-monitor/http-transport';
import { createCloudClient } from './cloud.js';
import {
  type ConfluenceAttachment,
  type ConfluencePage,
  toAttachment,
  toListing,
  toPage,
} from './content.js';
import { ConfluenceHttpError, InvalidOptionError } from './errors.js';
import { BODY_PAGE_SIZE, pagedResults } from './listing.js';
import { buildUpload } from './multipart.js';
import { createOnce, updateOnce } from './page-writes.js';
import { createTransport, type OutgoingRequest, parseJsonAnswer } from './transport.js';

export interface ConfluenceClientOptions {
  /** Base URL of Confluence, e.g. `https://confluence.example.org` or `https://example.atlassian.net`. */
  url: string;
  /** Data Center / Server: a personal access token. Cloud: an API token (with `email`). */
  token: string;
  /**
   * Set for Confluence Cloud: basic auth `email:token`, `/wiki` appended to the URL when missing,
   * and the REST API v2 (Cloud removed v1's content endpoints) except for attachment uploads.
   */
  email?: string | undefined;
  /** Space used by createPage when its input names none. */
  spaceKey?: string | undefined;
  /** Per attempt, for the whole answer; default 30000. */
  timeoutMs?: number | undefined;
  /** Attempts per request on network errors, timeouts, 5xx and 429; default 3. */
  tries?: number | undefined;
  /** Requests in flight at once, shared by every call on this client; default 8. */
  concurrency?: number | undefined;
  /** PEM file of extra CA certificates (REQUESTS_CA_BUNDLE), trusted in addition to Node's roots. */
  caBundlePath?: string | undefined;
  /** First backoff delay; doubles per retry, half of it random; default 500. */
  retryDelayMs?: number | undefined;
}

export interface NewPage {
  title: string;
  /** Storage-format XHTML. */
  body: string;
  /** Default: the client's spaceKey. */
  space?: string | undefined;
  parentId?: string | undefined;
  versionMessage?: string | undefined;
}

export interface PageUpdate {
  id: string;
  title: string;
  /** Storage-format XHTML. */
  body: string;
  /** The new version number: the version you read plus one. */
  version: number;
  versionMessage?: string | undefined;
  /** A minor edit sends no notifications to the page's watchers; default false. */
  minorEdit?: boolean | undefined;
}

export interface AttachmentUpload {
  fileName: string;
  content: Buffer | Uint8Array | string;
  mediaType: string;
  comment?: string | undefined;
  /** A minor edit sends no notifications to the page's watchers; default false. */
  minorEdit?: boolean | undefined;
  /**
   * What the caller already knows from listAttachments: the id of the attachment with this file
   * name, or null when there is none. Left out, the client looks it up (one more request).
   */
  existingId?: string | null | undefined;
}

export interface ConfluenceClient {
  /** The resolved base URL (Cloud: ending in /wiki); page and download links are relative to it. */
  readonly siteUrl: string;
  /** The page with this exact title in the space, or undefined. */
  findPage(space: string, title: string): Promise<ConfluencePage | undefined>;
  getPage(id: string): Promise<ConfluencePage>;
  /**
   * The direct child pages with body and version, following `_links.next`. Each page of results is
   * requested only when the caller has taken the one before, so a caller that keeps only what it
   * needs of each page never holds every body at once.
   */
  childPages(parentId: string): AsyncIterable<ConfluencePage>;
  createPage(page: NewPage): Promise<ConfluencePage>;
  /** Writes a new version; on 409 re-reads the page and retries once with the fresh version number. */
  updatePage(update: PageUpdate): Promise<ConfluencePage>;
  /** All attachments of a page (latest versions), following `_links.next`. */
  listAttachments(pageId: string): Promise<ConfluenceAttachment[]>;
  /** Creates the attachment, or adds a new version when the page already has one with this file name. */
  uploadAttachment(pageId: string, upload: AttachmentUpload): Promise<ConfluenceAttachment>;
  downloadAttachment(attachment: Pick<ConfluenceAttachment, 'downloadPath'>): Promise<Buffer>;
  /** Releases the connections of the CA-bundle agent, if one was made. */
  close(): Promise<void>;
}

/** Largest page of results we ask for; servers cap it lower when they like and we follow `_links.next`. */
const pageSize = 100;
const pageExpand = 'body.storage,version,space,ancestors';
// The answer to a create or update leaves the body out: we sent it, and 2000 pages of it echoed
// back were most of what a reporter run received.
const writeExpand = 'version,space,ancestors';
const childExpand = 'body.storage,version,space';

export function createConfluenceClient(options: ConfluenceClientOptions): ConfluenceClient {
  const cloud = options.email !== undefined && options.email !== '';
  const siteUrl = resolveSiteUrl(options.url, cloud);
  const apiUrl = `${siteUrl}/rest/api`;
  if (options.token === '') throw new InvalidOptionError('token', 'Confluence token is empty');
  const basic =
    options.email === undefined || options.email === ''
      ? undefined
      : Buffer.from(`${options.email}:${options.token}`).toString('base64');
  const dispatcher = options.caBundlePath === undefined ? undefined : caBundleAgent(options.caBundlePath);
  const send = createTransport({
    authorization: basic === undefined ? `Bearer ${options.token}` : `Basic ${basic}`,
    secrets: basic === undefined ? [options.token] : [options.token, basic],
    timeoutMs: options.timeoutMs ?? 30_000,
    tries: options.tries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 500,
    limiter: createLimiter(options.concurrency ?? 8),
    dispatcher,
  });

  const sendJson = async (request: OutgoingRequest) => {
    const answer = await send(request);
    const where = { method: request.method, url: request.url, attempts: answer.attempts };
    return { json: parseJsonAnswer(answer, request), where };
  };

  const getJson = (path: string, query: Record<string, string>) =>
    sendJson({ method: 'GET', url: `${apiUrl}${path}?${new URLSearchParams(query)}` });

  /** A paged listing; `_links.next` is relative to the site URL (it omits any context path). */
  const listPaged = (path: string, query: Record<string, string>, limit = pageSize) =>
    pagedResults(
      sendJson,
      `${apiUrl}${path}?${new URLSearchParams({ ...query, limit: String(limit) })}`,
      (next) => nextUrl(siteUrl, next),
    );

  const getPage = async (id: string) => {
    const { json, where } = await getJson(`/content/${encodeURIComponent(id)}`, { expand: pageExpand });
    return toPage(json, siteUrl, where);
  };

  const putPage = async (update: PageUpdate, version: number) => {
    const { json, where } = await sendJson({
      method: 'PUT',
      url: `${apiUrl}/content/${encodeURIComponent(update.id)}?expand=${writeExpand}`,
      json: {
        id: update.id,
        type: 'page',
        title: update.title,
        body: { storage: { value: update.body, representation: 'storage' } },
        version: {
          number: version,
          message: update.versionMessage ?? '',
          minorEdit: update.minorEdit ?? false,
        },
      },
    });
    return toPage(json, siteUrl, where, { body: update.body });
  };

  const findAttachment = async (pageId: string, fileName: string) => {
    const { json, where } = await getJson(`/content/${encodeURIComponent(pageId)}/child/attachment`, {
      filename: fileName,
      expand: 'version',
    });
    const match = toListing(json, where).results.map((item) => toAttachment(item, where));
    return match.find((a) => a.fileName === fileName);
  };

  const postAttachment = async (
    pageId: string,
    upload: AttachmentUpload,
    attachmentId: string | undefined,
  ) => {
    const body = buildUpload(
      {
        fileName: upload.fileName,
        content: typeof upload.content === 'string' ? Buffer.from(upload.content, 'utf8') : upload.content,
        mediaType: upload.mediaType,
      },
      upload.comment,
      upload.minorEdit ?? false,
    );
    const base = `${apiUrl}/content/${encodeURIComponent(pageId)}/child/attachment`;
    const { json, where } = await sendJson({
      method: 'POST',
      url: attachmentId === undefined ? base : `${base}/${encodeURIComponent(attachmentId)}/data`,
      body,
      headers: { 'X-Atlassian-Token': 'no-check' },
    });
    // Creating answers with a list of the new attachments; a new version with the attachment itself.
    const created = attachmentId === undefined ? toListing(json, where).results[0] : json;
    return toAttachment(created, where);
  };

  /** Create, or a new version when there is one by that name; the lookup is the flavour's. */
  const uploadVia =
    (find: (pageId: string, fileName: string) => Promise<ConfluenceAttachment | undefined>) =>
    async (pageId: string, upload: AttachmentUpload): Promise<ConfluenceAttachment> => {
      const knownId =
        upload.existingId === undefined
          ? (await find(pageId, upload.fileName))?.id
          : (upload.existingId ?? undefined);
      if (knownId !== undefined) return postAttachment(pageId, upload, knownId);
      try {
        return await postAttachment(pageId, upload, undefined);
      } catch (error) {
        // "Same file name as an existing attachment": someone (or our own lost first attempt) created
        // it meanwhile; add a version to that one instead.
        if (!(error instanceof ConfluenceHttpError) || error.status !== 400) throw error;
        const existing = await find(pageId, upload.fileName);
        if (existing === undefined) throw error;
        return postAttachment(pageId, upload, existing.id);
      }
    };

  const downloadAttachment = async (attachment: Pick<ConfluenceAttachment, 'downloadPath'>) => {
    if (!attachment.downloadPath.startsWith('/')) {
      throw new TypeError(`Not a download path below the site URL: ${attachment.downloadPath}`);
    }
    const answer = await send({ method: 'GET', url: `${siteUrl}${attachment.downloadPath}` });
    return answer.bytes;
  };

  const close = async () => {
    await dispatcher?.close();
  };

  if (cloud) {
    return createCloudClient({
      siteUrl,
      spaceKey: options.spaceKey,
      sendJson,
      nextUrl: (next) => nextUrl(siteUrl, next),
      uploadAttachment: uploadVia,
      downloadAttachment,
      close,
    });
  }

  const findPage = async (space: string, title: string) => {
    const { json, where } = await getJson('/content', {
      spaceKey: space,
      title,
      type: 'page',
      expand: pageExpand,
    });
    const pages = toListing(json, where).results.map((item) => toPage(item, siteUrl, where));
    return pages.find((p) => p.title === title) ?? pages[0];
  };

  return {
    siteUrl,
    findPage,

    getPage,

    async *childPages(parentId) {
      const listing = listPaged(
        `/content/${encodeURIComponent(parentId)}/child/page`,
        { expand: childExpand },
        BODY_PAGE_SIZE,
      );
      for await (const { results, where } of listing) {
        yield* results.map((item) => toPage(item, siteUrl, where, { parentId }));
      }
    },

    async createPage(page) {
      const space = page.space ?? options.spaceKey;
      if (space === undefined || space === '')
        throw new TypeError('createPage needs a space (or the spaceKey option)');
      const request: OutgoingRequest = {
        method: 'POST',
        url: `${apiUrl}/content?expand=${writeExpand}`,
        json: {
          type: 'page',
          title: page.title,
          space: { key: space },
          ...(page.parentId === undefined ? {} : { ancestors: [{ id: page.parentId }] }),
          body: { storage: { value: page.body, representation: 'storage' } },
          ...(page.versionMessage === undefined
            ? {}
            : { version: { number: 1, message: page.versionMessage } }),
        },
      };
      return createOnce(
        async () => {
          const { json, where } = await sendJson(request);
          return toPage(json, siteUrl, where, { parentId: page.parentId, body: page.body });
        },
        () => findPage(space, page.title),
        page.parentId,
      );
    },

    updatePage: (update) =>
      updateOnce(
        update,
        (version) => putPage(update, version),
        () => getPage(update.id),
      ),

    async listAttachments(pageId) {
      const all: ConfluenceAttachment[] = [];
      const listing = listPaged(`/content/${encodeURIComponent(pageId)}/child/attachment`, {
        expand: 'version',
      });
      for await (const { results, where } of listing) {
        all.push(...results.map((item) => toAttachment(item, where)));
      }
      return all;
    },

    uploadAttachment: uploadVia(findAttachment),
    downloadAttachment,
    close,
  };
}

function resolveSiteUrl(url: string, cloud: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError('url', `Confluence URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidOptionError('url', `Confluence URL must be http(s): ${url}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InvalidOptionError('url', 'Confluence URL must not contain credentials; use the token option');
  }
  const base = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  return cloud && !base.endsWith('/wiki') ? `${base}/wiki` : base;
}

/**
 * `_links.next` is relative to the site's base URL. It is resolved against the configured URL, never
 * against `_links.base`, which a proxied server may report wrongly — and the token must only ever
 * go to the host the user configured.
 */
function nextUrl(siteUrl: string, next: string): string {
  if (!next.startsWith('/')) throw new TypeError(`Unexpected _links.next from Confluence: ${next}`);
  const context = new URL(siteUrl).pathname.replace(/\/+$/, '');
  return `${siteUrl}${context !== '' && next.startsWith(`${context}/`) ? next.slice(context.length) : next}`;
}

/** The connection pool that trusts the bundle; Node's fetch has its own when there is none. */
function caBundleAgent(path: string): ConnectionPool {
  try {
    return createConnectionPool(path);
  } catch (error) {
    throw new InvalidOptionError(
      'caBundlePath',
      `Cannot read the CA bundle ${path}: ${(error as Error).message}`,
    );
  }
}
