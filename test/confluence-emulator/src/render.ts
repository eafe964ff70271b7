import { latest, type Site, type StoredAttachment, type StoredPage } from './site.js';

/** Where the emulator is reachable, as Confluence reports it in `_links`. */
export interface LinkBase {
  /** Origin plus context path, e.g. `http://127.0.0.1:4711/wiki`. */
  base: string;
  /** The context path alone: '' for a Data Center at the root, '/wiki' on Cloud. */
  context: string;
  cloud: boolean;
}

const author = { type: 'known', username: 'broker-monitor', displayName: 'Broker Monitor' };

/** `expand=body.storage,version` → a set of dotted paths and all their prefixes. */
export function parseExpand(expand: string | null): Set<string> {
  const paths = new Set<string>();
  for (const item of (expand ?? '').split(',')) {
    const parts = item.trim().split('.').filter(Boolean);
    for (let i = 1; i <= parts.length; i += 1) paths.add(parts.slice(0, i).join('.'));
  }
  return paths;
}

export function renderPage(site: Site, page: StoredPage, expand: Set<string>, links: LinkBase): object {
  const current = latest(page.versions);
  const self = `${links.base}/rest/api/content/${page.id}`;
  const json: Record<string, unknown> = {
    id: page.id,
    type: 'page',
    status: 'current',
    title: page.title,
  };
  const expandable: Record<string, string> = {
    container: `/rest/api/space/${page.spaceKey}`,
    metadata: '',
    operations: '',
    children: `/rest/api/content/${page.id}/child`,
    restrictions: `/rest/api/content/${page.id}/restriction/byOperation`,
    history: `/rest/api/content/${page.id}/history`,
    descendants: `/rest/api/content/${page.id}/descendant`,
  };
  if (expand.has('space')) json.space = renderSpace(page.spaceKey, links);
  else expandable.space = `/rest/api/space/${page.spaceKey}`;
  if (expand.has('version')) {
    json.version = {
      ...renderVersion(current, current.message),
      _links: { self: `${self}/version/${current.number}` },
      _expandable: { content: `/rest/api/content/${page.id}` },
    };
  } else expandable.version = '';
  if (expand.has('ancestors')) {
    json.ancestors = site.ancestors(page).map((a) => ({
      id: a.id,
      type: 'page',
      status: 'current',
      title: a.title,
      _links: pageLinks(a, links),
    }));
  } else expandable.ancestors = '';
  if (expand.has('body')) {
    const body: Record<string, unknown> = {
      _expandable: {
        editor: '',
        view: '',
        export_view: '',
        styled_view: '',
        anonymous_export_view: '',
      },
    };
    if (expand.has('body.storage')) {
      body.storage = {
        value: current.body,
        representation: 'storage',
        _expandable: { content: `/rest/api/content/${page.id}` },
      };
    } else (body._expandable as Record<string, string>).storage = '';
    json.body = body;
  } else expandable.body = '';
  json.extensions = { position: 'none' };
  json._links = pageLinks(page, links);
  json._expandable = expandable;
  return json;
}

/** A page's or an attachment's `version` object; pages keep a message, attachments a comment. */
function renderVersion(
  version: { when: Date; number: number; minorEdit: boolean },
  message: string,
): Record<string, unknown> {
  return {
    by: author,
    when: version.when.toISOString(),
    message,
    number: version.number,
    minorEdit: version.minorEdit,
    hidden: false,
  };
}

function pageLinks(page: StoredPage, links: LinkBase): Record<string, string> {
  const webui = links.cloud
    ? `/spaces/${page.spaceKey}/pages/${page.id}/${encodeURIComponent(page.title).replaceAll('%20', '+')}`
    : `/display/${page.spaceKey}/${encodeURIComponent(page.title).replaceAll('%20', '+')}`;
  return {
    webui,
    edit: `/pages/resumedraft.action?draftId=${page.id}`,
    tinyui: `/x/${Buffer.from(page.id).toString('base64url')}`,
    self: `${links.base}/rest/api/content/${page.id}`,
  };
}

function renderSpace(key: string, links: LinkBase): object {
  return {
    key,
    name: key,
    type: 'global',
    status: 'current',
    _links: { webui: `/display/${key}`, self: `${links.base}/rest/api/space/${key}` },
  };
}

export function renderAttachment(attachment: StoredAttachment, expand: Set<string>, links: LinkBase): object {
  const current = latest(attachment.versions);
  const name = encodeURIComponent(attachment.fileName);
  const json: Record<string, unknown> = {
    id: attachment.id,
    type: 'attachment',
    status: 'current',
    title: attachment.fileName,
    metadata: { comment: current.comment, mediaType: current.mediaType, labels: { results: [], size: 0 } },
    extensions: { mediaType: current.mediaType, fileSize: current.content.length, comment: current.comment },
  };
  if (expand.has('version')) {
    json.version = renderVersion(current, current.comment);
  }
  if (expand.has('container')) json.container = { id: attachment.pageId, type: 'page' };
  json._links = {
    webui: `/pages/viewpageattachments.action?pageId=${attachment.pageId}&preview=%2F${attachment.pageId}%2F${attachment.id}%2F${name}`,
    download: `/download/attachments/${attachment.pageId}/${name}?version=${current.number}&modificationDate=${current.when.getTime()}&api=v2`,
    self: `${links.base}/rest/api/content/${attachment.id}`,
  };
  json._expandable = { container: `/rest/api/content/${attachment.pageId}`, space: '', history: '' };
  return json;
}

export interface PageOfResults {
  results: object[];
  start: number;
  limit: number;
  size: number;
  _links: Record<string, string>;
}

/**
 * One page of a paged listing, with `_links.next` relative to `_links.base` (it starts with
 * `/rest/api`, never with the context path) and carrying the request's other parameters.
 */
export function renderList(
  items: readonly object[],
  request: URL,
  apiPath: string,
  window: { start: number; limit: number },
  links: LinkBase,
): PageOfResults {
  const slice = items.slice(window.start, window.start + window.limit);
  const json: PageOfResults = {
    results: slice,
    start: window.start,
    limit: window.limit,
    size: slice.length,
    _links: { self: `${links.base}${apiPath}`, base: links.base, context: links.context },
  };
  if (window.start + window.limit < items.length) {
    const next = new URLSearchParams(request.searchParams);
    next.set('limit', String(window.limit));
    next.set('start', String(window.start + window.limit));
    json._links.next = `${apiPath}?${next.toString()}`;
  }
  if (window.start > 0) {
    const prev = new URLSearchParams(request.searchParams);
    prev.set('limit', String(window.limit));
    prev.set('start', String(Math.max(0, window.start - window.limit)));
    json._links.prev = `${apiPath}?${prev.toString()}`;
  }
  return json;
}
