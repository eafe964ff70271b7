import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveOnLoopback } from '@broker-monitor/test-certs';
import { serveCloudApi } from './cloud-api.js';
import { type LinkBase, parseExpand, renderAttachment, renderList, renderPage } from './render.js';
import { ApiError, latest, Site, type StoredAttachment, type StoredPage } from './site.js';

export type ConfluenceFlavour = 'datacenter' | 'cloud';

export interface ConfluenceEmulatorOptions {
  /** 'datacenter' (default): `Authorization: Bearer <token>`. 'cloud': basic auth email:token under `/wiki`. */
  flavour?: ConfluenceFlavour;
  /** The personal access token (Data Center) or API token (Cloud) the emulator accepts. */
  token?: string;
  /** Cloud only: the account's e-mail address, the user name of basic auth. */
  email?: string;
  /** Data Center only: a context path such as '/confluence'; Cloud always uses '/wiki'. */
  contextPath?: string;
  /** Space keys that exist; default ['AKTIN']. */
  spaces?: readonly string[];
  /** Serve HTTPS with this key and certificate (e.g. from @broker-monitor/test-certs). */
  tls?: { key: string; cert: string };
  /** The largest `limit` a listing honours, like the server's fixed cap; default 50 (Data Center), 250 (Cloud). */
  maxPageSize?: number;
  /** Clock for version and attachment dates. */
  now?: () => Date;
  /** Source of the ids Confluence adds to macros (`ac:macro-id`); random UUIDs by default. */
  newId?: () => string;
}

/** One answered request, in arrival order. `path` is the full path including the context path. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** The query string without '?', '' when there is none. */
  query: string;
  /** HTTP status sent; 0 when a fault dropped the connection. */
  status: number;
}

/**
 * A fault injected into matching requests. `path` is matched against the path without the
 * context path (e.g. `/rest/api/content/65538`): a string must be equal, a RegExp must match.
 * With `status` the request is answered with that status and `message`; with only `delayMs` it is
 * delayed and then served normally; `dropConnection` closes the socket without an answer and
 * without doing anything, `loseAnswer` does the work and then closes the socket.
 */
export interface FaultRule {
  method?: string;
  path?: string | RegExp;
  status?: number;
  message?: string;
  delayMs?: number;
  dropConnection?: boolean;
  /** Carry the request out, then close the connection without answering (an answer lost on the way). */
  loseAnswer?: boolean;
  /** Sent as `Retry-After` (seconds) with a fault's status, as Cloud does with 429. */
  retryAfterSeconds?: number;
  /** How many matching requests the fault applies to; default: all. */
  times?: number;
}

export interface SeedPage {
  title: string;
  body?: string;
  /** Default: the first space. */
  spaceKey?: string;
  parentId?: string;
  /** Put the page under the page with this title (same space). */
  parentTitle?: string;
  /** Start at this version number, e.g. to stand for a page written by the Python version. */
  version?: number;
  versionMessage?: string;
}

export interface SeedAttachment {
  fileName: string;
  content: Buffer | string;
  mediaType?: string;
  comment?: string;
}

/** A snapshot of a stored page (body as normalised by the emulator). */
export interface EmulatedPage {
  id: string;
  spaceKey: string;
  title: string;
  parentId: string | undefined;
  version: number;
  versionMessage: string;
  body: string;
  versions: { number: number; message: string; body: string }[];
}

export interface EmulatedAttachment {
  id: string;
  pageId: string;
  fileName: string;
  version: number;
  comment: string;
  mediaType: string;
  content: Buffer;
}

export interface ConfluenceEmulator {
  readonly flavour: ConfluenceFlavour;
  /** The URL a user would configure: DC origin plus context path; Cloud the site root without '/wiki'. */
  readonly url: string;
  /** Origin plus context path, as `_links.base` says. */
  readonly baseUrl: string;
  readonly token: string;
  readonly email: string | undefined;
  /** Every request answered so far (reset with clearRequests). */
  readonly requests: readonly RequestLogEntry[];
  /** The most requests that were being served at the same moment since the start or clearRequests. */
  readonly peakConcurrency: number;
  /** Empties the request log and resets peakConcurrency. */
  clearRequests(): void;
  addPage(page: SeedPage): EmulatedPage;
  addAttachment(pageId: string, attachment: SeedAttachment): EmulatedAttachment;
  page(id: string): EmulatedPage | undefined;
  findPage(title: string, spaceKey?: string): EmulatedPage | undefined;
  pages(): EmulatedPage[];
  attachments(pageId: string): EmulatedAttachment[];
  /** Returns a function that removes the fault again. */
  addFault(rule: FaultRule): () => void;
  /** A fault for one page's own URL and everything below it (children, attachments); default HTTP 500. */
  failPage(pageId: string, rule?: Omit<FaultRule, 'path'>): () => void;
  /** Before each of the next `times` updates of the page, another user saves it, so the update gets 409. */
  conflictNextUpdates(pageId: string, times?: number): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

interface ActiveFault extends FaultRule {
  remaining: number;
}

export async function startConfluenceEmulator(
  options: ConfluenceEmulatorOptions = {},
): Promise<ConfluenceEmulator> {
  const flavour = options.flavour ?? 'datacenter';
  const cloud = flavour === 'cloud';
  const token = options.token ?? 'emulator-token';
  const email = cloud ? (options.email ?? 'monitor@example.org') : undefined;
  const context = cloud ? '/wiki' : (options.contextPath ?? '').replace(/\/+$/, '');
  const maxPageSize = options.maxPageSize ?? (cloud ? 250 : 50);
  const spaces = options.spaces ?? ['AKTIN'];
  const site = new Site({
    spaces,
    now: options.now ?? (() => new Date()),
    normalise: { addLocalIds: cloud, ...(options.newId ? { newId: options.newId } : {}) },
  });
  const expectedAuthorization = cloud
    ? `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`
    : `Bearer ${token}`;
  const log: RequestLogEntry[] = [];
  let faults: ActiveFault[] = [];
  const pendingConflicts = new Map<string, number>();
  let links: LinkBase = { base: '', context, cloud };

  let inFlight = 0;
  let peakConcurrency = 0;

  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', links.base);
    const method = request.method ?? 'GET';
    inFlight += 1;
    peakConcurrency = Math.max(peakConcurrency, inFlight);
    response.on('close', () => {
      inFlight -= 1;
      log.push({
        method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        status: response.headersSent ? response.statusCode : 0,
      });
    });
    serve(request, url, method).then(
      (reply) => (reply === 'drop' ? request.socket.destroy() : write(response, reply)),
      () => request.socket.destroy(),
    );
  };

  /** The reply to one request, or 'drop' when a fault closes the connection without an answer. */
  const serve = async (request: IncomingMessage, url: URL, method: string): Promise<Reply | 'drop'> => {
    const body = await readBody(request);
    // Cloud checks the credentials before it looks at the path: a bearer token gets 401 anywhere.
    if (!cloud && !url.pathname.startsWith(`${context}/`))
      return errorReply(404, `Not found: ${url.pathname}`);
    if (request.headers.authorization !== expectedAuthorization) {
      const reply = errorReply(
        401,
        'This request requires authentication: the credentials are missing or invalid',
      );
      reply.headers['WWW-Authenticate'] = cloud ? 'Basic realm="Confluence"' : 'Bearer realm="Confluence"';
      return reply;
    }
    if (!url.pathname.startsWith(`${context}/`)) return errorReply(404, `Not found: ${url.pathname}`);
    const path = url.pathname.slice(context.length);
    const fault = takeFault(method, path);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.dropConnection) return 'drop';
    if (fault?.status) {
      const reply = errorReply(fault.status, fault.message ?? reasons[fault.status] ?? 'Fault');
      if (fault.retryAfterSeconds !== undefined)
        reply.headers['Retry-After'] = String(fault.retryAfterSeconds);
      return reply;
    }
    let reply: Reply;
    try {
      reply = await route(request, url, method, path, body);
    } catch (error) {
      reply =
        error instanceof ApiError
          ? errorReply(error.status, error.message)
          : errorReply(500, error instanceof Error ? error.message : String(error));
    }
    return fault?.loseAnswer ? 'drop' : reply;
  };

  const takeFault = (method: string, path: string): ActiveFault | undefined => {
    const fault = faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (fault) fault.remaining -= 1;
    return fault;
  };

  const applyConflict = (id: string): void => {
    const conflicts = pendingConflicts.get(id) ?? 0;
    if (conflicts > 0) {
      pendingConflicts.set(id, conflicts - 1);
      site.editByAnotherUser(id);
    }
  };

  const route = async (
    request: IncomingMessage,
    url: URL,
    method: string,
    path: string,
    body: Buffer,
  ): Promise<Reply> => {
    const expand = parseExpand(url.searchParams.get('expand'));
    const segments = path.split('/').slice(1).map(decodeURIComponent);
    const [root, api, kind, id, child, childKind, attachmentId, data] = segments;

    if (root === 'download' && api === 'attachments' && kind && id && segments.length === 4) {
      allow(method, 'GET');
      return download(kind, id, url.searchParams.get('version'));
    }
    if (cloud && root === 'api' && api === 'v2') {
      if (method === 'PUT' && kind === 'pages' && id !== undefined && child === undefined) applyConflict(id);
      const answer = serveCloudApi(
        site,
        { method, url, segments: segments.slice(2), json: () => parseJson(request, body) },
        links,
        { maxPageSize },
      );
      const reply = jsonReply(200, answer.json);
      if (answer.link !== undefined) reply.headers.Link = answer.link;
      return reply;
    }
    if (root !== 'rest' || api !== 'api' || kind !== 'content') throw new ApiError(404, `Not found: ${path}`);
    // Cloud removed the v1 content API (CHANGE-864) except the attachment uploads.
    const v1Upload =
      method === 'POST' &&
      id !== undefined &&
      child === 'child' &&
      childKind === 'attachment' &&
      (segments.length === 6 || (segments.length === 8 && data === 'data'));
    if (cloud && !v1Upload) {
      throw new ApiError(
        410,
        'This endpoint has been removed. Use the Confluence Cloud REST API v2 (/wiki/api/v2) instead.',
      );
    }

    if (id === undefined) {
      if (method === 'GET') {
        const space = url.searchParams.get('spaceKey');
        const title = url.searchParams.get('title');
        const type = url.searchParams.get('type') ?? 'page';
        const found = site
          .allPages()
          .filter(
            (p) =>
              type === 'page' &&
              (space === null || p.spaceKey === space) &&
              (title === null || p.title.toLowerCase() === title.toLowerCase()),
          );
        return jsonReply(
          200,
          list(
            found.map((p) => renderPage(site, p, expand, links)),
            url,
            path,
            25,
          ),
        );
      }
      allow(method, 'POST');
      const input = parseJson(request, body);
      requirePageType(input);
      const page = site.createPage({
        spaceKey: requireString(input, ['space', 'key'], 'space.key'),
        title: requireString(input, ['title'], 'title'),
        body: storageValue(input),
        parentId: ancestorId(input),
        versionMessage: optionalString(input, ['version', 'message']),
      });
      return jsonReply(200, renderPage(site, page, fullExpand, links));
    }

    if (child === undefined) {
      if (method === 'GET') return jsonReply(200, renderPage(site, site.page(id), expand, links));
      allow(method, 'PUT');
      const input = parseJson(request, body);
      requirePageType(input);
      const versionNumber = getPath(input, ['version', 'number']);
      if (typeof versionNumber !== 'number') {
        throw new ApiError(
          400,
          'Must supply an incremented version when updating Content. No version supplied.',
        );
      }
      applyConflict(id);
      const page = site.updatePage({
        id,
        title: requireString(input, ['title'], 'title'),
        body: getPath(input, ['body']) === undefined ? undefined : storageValue(input),
        versionNumber,
        versionMessage: optionalString(input, ['version', 'message']) ?? '',
        minorEdit: getPath(input, ['version', 'minorEdit']) === true,
        parentId: ancestorId(input),
      });
      return jsonReply(200, renderPage(site, page, fullExpand, links));
    }

    if (child !== 'child') throw new ApiError(404, `Not found: ${path}`);
    if (childKind === 'page' && segments.length === 6) {
      allow(method, 'GET');
      const children = site.children(id).map((p) => renderPage(site, p, expand, links));
      return jsonReply(200, list(children, url, path, 25));
    }
    if (childKind !== 'attachment') throw new ApiError(404, `Not found: ${path}`);

    if (attachmentId === undefined) {
      if (method === 'GET') {
        const fileName = url.searchParams.get('filename');
        const mediaType = url.searchParams.get('mediaType');
        const found = site
          .attachmentsOf(id)
          .filter(
            (a) =>
              (fileName === null || a.fileName === fileName) &&
              (mediaType === null || latest(a.versions).mediaType === mediaType),
          );
        return jsonReply(
          200,
          list(
            found.map((a) => renderAttachment(a, expand, links)),
            url,
            path,
            50,
          ),
        );
      }
      allow(method, 'POST');
      const parts = await parseUpload(request, body);
      site.page(id);
      const created = parts.map((part) => site.addAttachment(id, part));
      const results = created.map((a) => renderAttachment(a, fullExpand, links));
      return jsonReply(200, {
        results,
        start: 0,
        limit: results.length,
        size: results.length,
        _links: {},
      });
    }
    if (data === 'data' && segments.length === 8) {
      allow(method, 'POST');
      const parts = await parseUpload(request, body);
      const [part] = parts;
      if (!part || parts.length > 1)
        throw new ApiError(400, 'Exactly one file must be supplied to update an attachment');
      const updated = site.addAttachmentVersion(id, attachmentId, part);
      return jsonReply(200, renderAttachment(updated, fullExpand, links));
    }
    throw new ApiError(404, `Not found: ${path}`);
  };

  const list = (items: object[], url: URL, apiPath: string, defaultLimit: number) => {
    const start = nonNegativeInteger(url.searchParams.get('start'), 0, 'start');
    const limit = Math.min(
      nonNegativeInteger(url.searchParams.get('limit'), defaultLimit, 'limit'),
      maxPageSize,
    );
    return renderList(items, url, apiPath, { start, limit }, links);
  };

  const download = (pageId: string, fileName: string, version: string | null): Reply => {
    const attachment = site.attachmentsOf(pageId).find((a) => a.fileName === fileName);
    const wanted = attachment?.versions.find((v) => version === null || String(v.number) === version);
    if (!attachment || !wanted) throw new ApiError(404, `No attachment ${fileName} on page ${pageId}`);
    return { status: 200, headers: { 'Content-Type': wanted.mediaType }, body: wanted.content };
  };

  const { server, origin } = await serveOnLoopback(handler, options.tls);
  links = { base: `${origin}${context}`, context, cloud };

  const addFault = (rule: FaultRule): (() => void) => {
    const fault: ActiveFault = { ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
    faults.push(fault);
    return () => {
      faults = faults.filter((f) => f !== fault);
    };
  };

  return {
    flavour,
    url: cloud ? origin : links.base,
    baseUrl: links.base,
    token,
    email,
    requests: log,
    get peakConcurrency() {
      return peakConcurrency;
    },
    clearRequests: () => {
      log.length = 0;
      peakConcurrency = inFlight;
    },
    addPage: (seed) => {
      const spaceKey = seed.spaceKey ?? spaces[0] ?? 'AKTIN';
      const parentId =
        seed.parentId ??
        (seed.parentTitle === undefined ? undefined : site.findPage(spaceKey, seed.parentTitle)?.id);
      if (seed.parentTitle !== undefined && parentId === undefined) {
        throw new Error(`No page titled ${seed.parentTitle} in space ${spaceKey}`);
      }
      return snapshotPage(
        site.createPage({
          spaceKey,
          title: seed.title,
          body: seed.body ?? '',
          parentId,
          versionMessage: seed.versionMessage,
          versionNumber: seed.version,
        }),
      );
    },
    addAttachment: (pageId, seed) =>
      snapshotAttachment(
        site.addAttachment(pageId, {
          fileName: seed.fileName,
          content: Buffer.from(seed.content),
          mediaType: seed.mediaType ?? 'application/octet-stream',
          comment: seed.comment ?? '',
          minorEdit: false,
        }),
      ),
    page: (id) => {
      const page = site.allPages().find((p) => p.id === id);
      return page && snapshotPage(page);
    },
    findPage: (title, spaceKey) => {
      const page = site.findPage(spaceKey ?? spaces[0] ?? 'AKTIN', title);
      return page && snapshotPage(page);
    },
    pages: () => site.allPages().map(snapshotPage),
    attachments: (pageId) => site.attachmentsOf(pageId).map(snapshotAttachment),
    addFault,
    failPage: (pageId, rule = {}) =>
      addFault({
        status: 500,
        ...rule,
        path: new RegExp(`^/(rest/api/content|api/v2/pages)/${pageId}(/|$)`),
      }),
    conflictNextUpdates: (pageId, times = 1) => {
      pendingConflicts.set(pageId, (pendingConflicts.get(pageId) ?? 0) + times);
    },
    clearFaults: () => {
      faults = [];
      pendingConflicts.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const fullExpand = parseExpand('body.storage,version,space,ancestors,container');

function snapshotPage(page: StoredPage): EmulatedPage {
  const current = latest(page.versions);
  return {
    id: page.id,
    spaceKey: page.spaceKey,
    title: page.title,
    parentId: page.parentId,
    version: current.number,
    versionMessage: current.message,
    body: current.body,
    versions: page.versions.map((v) => ({ number: v.number, message: v.message, body: v.body })),
  };
}

function snapshotAttachment(attachment: StoredAttachment): EmulatedAttachment {
  const current = latest(attachment.versions);
  return {
    id: attachment.id,
    pageId: attachment.pageId,
    fileName: attachment.fileName,
    version: current.number,
    comment: current.comment,
    mediaType: current.mediaType,
    content: current.content,
  };
}

function allow(method: string, allowed: string): void {
  if (method !== allowed) throw new ApiError(405, `Method ${method} is not allowed here`);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

function write(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { ...reply.headers, 'Content-Length': Buffer.byteLength(reply.body) });
  response.end(reply.body);
}

function jsonReply(status: number, json: object): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json;charset=UTF-8' },
    body: JSON.stringify(json),
  };
}

/** Confluence's error body: statusCode, data, message, reason. */
function errorReply(status: number, message: string): Reply {
  if (status === 403 && message === xsrfMessage) {
    // The XSRF filter answers before the REST layer, in plain text.
    return { status, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: message };
  }
  return jsonReply(status, {
    statusCode: status,
    data: { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false },
    message,
    reason: reasons[status] ?? 'Error',
  });
}

function parseJson(request: IncomingMessage, body: Buffer): unknown {
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new ApiError(415, 'Unsupported Media Type: send application/json');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'Could not parse the request body as JSON');
  }
}

function getPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function requireString(value: unknown, path: readonly string[], name: string): string {
  const found = getPath(value, path);
  if (typeof found !== 'string') throw new ApiError(400, `${name} is required`);
  return found;
}

function optionalString(value: unknown, path: readonly string[]): string | undefined {
  const found = getPath(value, path);
  return typeof found === 'string' ? found : undefined;
}

function requirePageType(input: unknown): void {
  const type = getPath(input, ['type']);
  if (type !== 'page') throw new ApiError(400, `Content type must be 'page', got ${JSON.stringify(type)}`);
}

function storageValue(input: unknown): string {
  const representation = getPath(input, ['body', 'storage', 'representation']);
  if (representation !== 'storage') {
    throw new ApiError(400, 'body.storage.representation must be "storage"');
  }
  return requireString(input, ['body', 'storage', 'value'], 'body.storage.value');
}

function ancestorId(input: unknown): string | undefined {
  const ancestors = getPath(input, ['ancestors']);
  if (ancestors === undefined) return undefined;
  if (!Array.isArray(ancestors)) throw new ApiError(400, 'ancestors must be a list');
  const last: unknown = ancestors[ancestors.length - 1];
  const id = getPath(last, ['id']);
  if (last === undefined) return undefined;
  if (typeof id !== 'string' && typeof id !== 'number') throw new ApiError(400, 'ancestors[].id is required');
  return String(id);
}

function nonNegativeInteger(text: string | null, fallback: number, name: string): number {
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new ApiError(400, `${name} must be a non-negative integer`);
  return value;
}

const xsrfMessage = 'XSRF check failed';

/** The multipart upload as Confluence reads it: XSRF header, `file` parts, `comment`, `minorEdit`. */
async function parseUpload(
  request: IncomingMessage,
  body: Buffer,
): Promise<{ fileName: string; content: Buffer; mediaType: string; comment: string; minorEdit: boolean }[]> {
  const token = String(request.headers['x-atlassian-token'] ?? '').toLowerCase();
  if (token !== 'no-check' && token !== 'nocheck') throw new ApiError(403, xsrfMessage);
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new ApiError(415, 'Unsupported Media Type: attachments are uploaded as multipart/form-data');
  }
  let form: FormData;
  try {
    form = await new Request('http://emulator.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(body),
    }).formData();
  } catch {
    throw new ApiError(400, 'Could not parse the multipart body');
  }
  const files = form.getAll('file').filter((f): f is File => typeof f !== 'string');
  if (files.length === 0) throw new ApiError(400, 'No file part named "file" in the upload');
  const comments = await Promise.all(
    form.getAll('comment').map((c) => (typeof c === 'string' ? c : c.text())),
  );
  const minorEdit = form.get('minorEdit') === 'true';
  return Promise.all(
    files.map(async (file, index) => ({
      fileName: file.name,
      content: Buffer.from(await file.arrayBuffer()),
      mediaType: file.type === '' ? 'application/octet-stream' : file.type,
      comment: comments[index] ?? '',
      minorEdit,
    })),
  );
}
