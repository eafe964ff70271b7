import { ConfluenceResponseError } from './errors.js';

/** A page as read from Confluence, with its stored (server-normalised) storage-format body. */
export interface ConfluencePage {
  id: string;
  title: string;
  /** Space key, when the server included the space. */
  spaceKey: string | undefined;
  /** Id of the direct parent page; undefined for a top-level page or when the server did not say. */
  parentId: string | undefined;
  /**
   * Storage-format XHTML as Confluence stored it (it adds macro ids, rewrites `<br/>`, …); from
   * createPage and updatePage, which do not ask for it back, the body that was sent.
   */
  body: string;
  version: PageVersion;
  /** Link to the page in the browser. */
  webUrl: string | undefined;
}

export interface PageVersion {
  number: number;
  /** The version comment; '' when none was given. A client may keep e.g. a hash of its input here. */
  message: string;
  minorEdit: boolean;
  /** ISO timestamp of the version. */
  when: string | undefined;
}

/** One attachment of a page, in its latest version. */
export interface ConfluenceAttachment {
  id: string;
  fileName: string;
  mediaType: string;
  fileSize: number | undefined;
  /** The comment of the latest version; '' when none. */
  comment: string;
  version: number;
  /** Path below the site URL that downloads this version (pass the attachment to downloadAttachment). */
  downloadPath: string;
}

export type Where = { method: string; url: string; attempts: number };

const get = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      typeof current === 'object' && current !== null ? Reflect.get(current, key) : undefined,
    value,
  );

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

function required<T>(value: T | undefined, what: string, where: Where): T {
  if (value === undefined) {
    throw new ConfluenceResponseError(
      `Confluence answered ${where.method} ${where.url} without ${what}: not a Confluence REST answer`,
      where,
    );
  }
  return value;
}

/** `fallback` fills what an answer may leave out: the parent of a listed child, the body just written. */
export function toPage(
  json: unknown,
  siteUrl: string,
  where: Where,
  fallback: { parentId?: string | undefined; body?: string | undefined } = {},
): ConfluencePage {
  const ancestors = get(json, 'ancestors');
  const lastAncestor = Array.isArray(ancestors) ? ancestors[ancestors.length - 1] : undefined;
  const versionNumber = get(json, 'version', 'number');
  const webui = optionalString(get(json, '_links', 'webui'));
  return {
    id: required(idOf(get(json, 'id')), 'a page id', where),
    title: required(optionalString(get(json, 'title')), 'a page title', where),
    spaceKey: optionalString(get(json, 'space', 'key')),
    parentId: Array.isArray(ancestors) ? idOf(get(lastAncestor, 'id')) : fallback.parentId,
    body: required(
      optionalString(get(json, 'body', 'storage', 'value')) ?? fallback.body,
      'the storage body',
      where,
    ),
    version: {
      number: required(
        typeof versionNumber === 'number' ? versionNumber : undefined,
        'a version number',
        where,
      ),
      message: optionalString(get(json, 'version', 'message')) ?? '',
      minorEdit: get(json, 'version', 'minorEdit') === true,
      when: optionalString(get(json, 'version', 'when')),
    },
    webUrl: webui === undefined ? undefined : `${siteUrl}${webui}`,
  };
}

export function toAttachment(json: unknown, where: Where): ConfluenceAttachment {
  const version = get(json, 'version', 'number');
  const fileSize = get(json, 'extensions', 'fileSize');
  return {
    id: required(idOf(get(json, 'id')), 'an attachment id', where),
    fileName: required(optionalString(get(json, 'title')), 'an attachment title', where),
    mediaType:
      optionalString(get(json, 'extensions', 'mediaType')) ??
      optionalString(get(json, 'metadata', 'mediaType')) ??
      'application/octet-stream',
    fileSize: typeof fileSize === 'number' ? fileSize : undefined,
    comment:
      optionalString(get(json, 'extensions', 'comment')) ??
      optionalString(get(json, 'metadata', 'comment')) ??
      optionalString(get(json, 'version', 'message')) ??
      '',
    version: required(typeof version === 'number' ? version : undefined, 'an attachment version', where),
    downloadPath: required(optionalString(get(json, '_links', 'download')), 'a download link', where),
  };
}

/** A paged listing: its results and the `_links.next` path (relative to the site URL), if any. */
export function toListing(json: unknown, where: Where): { results: unknown[]; next: string | undefined } {
  const results = get(json, 'results');
  return {
    results: required(Array.isArray(results) ? results : undefined, 'a results list', where),
    next: optionalString(get(json, '_links', 'next')),
  };
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

/**
 * A page of the REST API v2: the space as an id (the caller knows its key), the parent as
 * `parentId`, the body only when asked for with `body-format=storage`.
 */
export function toCloudPage(
  json: unknown,
  siteUrl: string,
  where: Where,
  spaceKeyOf: (spaceId: string) => string | undefined,
  fallback: { body?: string | undefined } = {},
): ConfluencePage {
  const page = toPage(json, siteUrl, where, { parentId: idOf(get(json, 'parentId')), ...fallback });
  const spaceId = idOf(get(json, 'spaceId'));
  return { ...page, spaceKey: spaceId === undefined ? undefined : spaceKeyOf(spaceId) };
}

/** An attachment of the REST API v2: mediaType, fileSize and comment at the top level. */
export function toCloudAttachment(json: unknown, where: Where): ConfluenceAttachment {
  const version = get(json, 'version', 'number');
  const fileSize = get(json, 'fileSize');
  return {
    id: required(idOf(get(json, 'id')), 'an attachment id', where),
    fileName: required(optionalString(get(json, 'title')), 'an attachment title', where),
    mediaType: optionalString(get(json, 'mediaType')) ?? 'application/octet-stream',
    fileSize: typeof fileSize === 'number' ? fileSize : undefined,
    comment: optionalString(get(json, 'comment')) ?? '',
    version: required(typeof version === 'number' ? version : undefined, 'an attachment version', where),
    downloadPath: required(
      optionalString(get(json, 'downloadLink')) ?? optionalString(get(json, '_links', 'download')),
      'a download link',
      where,
    ),
  };
}

/** The id of a v2 listing item (children carry only id and title). */
export function toIdAndTitle(json: unknown, where: Where): { id: string; title: string } {
  return {
    id: required(idOf(get(json, 'id')), 'a page id', where),
    title: required(optionalString(get(json, 'title')), 'a page title', where),
  };
}

/** The id of the one space in a `spaces?keys=` answer, or undefined when there is none. */
export function toSpaceId(json: unknown, key: string, where: Where): string | undefined {
  const { results } = toListing(json, where);
  const match = results.find((space) => get(space, 'key') === key) ?? undefined;
  return match === undefined ? undefined : idOf(get(match, 'id'));
}
