/**
 * A real HTTP(S) server on loopback that answers like the AKTIN broker's admin API
 * (NodeInfoEndpoint, BrokerStatusEndpoint) and its node upload endpoint, driven by a
 * `BrokerState` that tests step through time, with switches for latency and faults.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveOnLoopback, testCert, testKey } from '@broker-monitor/test-certs';
import {
  brokerStatusXml,
  entityBombXml,
  errorPageHtml,
  type ImportStatisticsFormat,
  type ImportStatisticsInput,
  type NodeDocumentInput,
  nodeListXml,
  nodeXml,
  propertiesXml,
} from './documents.js';
import {
  type ActiveFault,
  type Fault,
  type FaultKind,
  type FaultTarget,
  type RequestTarget,
  takeFault,
} from './faults.js';
import { BrokerState, type EmulatedNode, type NodeInput, type StoredResource } from './state.js';
import { formatHttpDate } from './time-format.js';

export interface BrokerEmulatorOptions {
  /** Admin API key (`Authorization: Bearer <key>`); any other key gets 401 on admin endpoints. */
  adminKey: string;
  /** Node API keys → client DN; a node is registered (next id) on its first request, as the broker does. */
  nodeKeys?: Readonly<Record<string, string>>;
  /** The emulator's clock at start; move it with `setNow`. Default 2025-01-01T00:00:00Z. */
  now?: Date;
  /** Added to every response (the server answers no earlier than arrival + latency). */
  latencyMs?: number;
  /** Serve HTTPS with the self-signed loopback certificate of @broker-monitor/test-certs. */
  https?: boolean;
  /** Prefix of the exchange namespace in node documents (JAXB RI writes `ns2`); '' = default namespace. */
  namespacePrefix?: string;
  /** Version reported by /broker/status. */
  version?: string;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query as received. */
  path: string;
  /** Status sent; 0 when the connection was reset without a response. */
  status: number;
  target?: RequestTarget;
  fault?: FaultKind;
  headers: {
    authorization?: string;
    accept?: string;
    ifModifiedSince?: string;
    ifNoneMatch?: string;
    userAgent?: string;
  };
}

export interface BrokerEmulator {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  now(): Date;
  setNow(date: Date): void;
  addNode(input?: NodeInput): EmulatedNode;
  node(id: number): EmulatedNode;
  contact(id: number): void;
  upload(id: number, resource: string, body: string | Uint8Array, contentType?: string): void;
  uploadStats(id: number, stats: ImportStatisticsInput | string, format?: ImportStatisticsFormat): void;
  uploadProperties(
    id: number,
    resource: string,
    entries: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
  ): void;
  deleteResource(id: number, resource: string): void;
  setLatency(ms: number): void;
  /** Injects a fault for the next `times` matching requests (default: until cleared). */
  addFault(target: FaultTarget, fault: Fault, times?: number): void;
  clearFaults(): void;
  /** Every request so far, in arrival order. */
  requests(): readonly RequestLogEntry[];
  /** Requests being answered now, and the most at once since start or `clearRequests`. */
  concurrency(): { current: number; peak: number };
  clearRequests(): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Jersey sends small entities with Content-Length and larger ones chunked. */
const JERSEY_BUFFER_BYTES = 8192;

export async function startBrokerEmulator(options: BrokerEmulatorOptions): Promise<BrokerEmulator> {
  const state = new BrokerState(options.now ?? new Date('2025-01-01T00:00:00Z'));
  const prefix = options.namespacePrefix ?? 'ns2';
  const version = options.version ?? '1.5.2';
  const nodeKeys = new Map(Object.entries(options.nodeKeys ?? {}));
  const nodeIdByKey = new Map<string, number>();
  let latencyMs = options.latencyMs ?? 0;
  let faults: ActiveFault[] = [];
  let log: RequestLogEntry[] = [];
  let inFlight = 0;
  let peak = 0;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) send(res, errorReply(500, req.url ?? '/'));
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrival = performance.now();
    const method = req.method ?? 'GET';
    const rawPath = req.url ?? '/';
    const path = rawPath.split('?')[0] ?? '/';
    const entry: RequestLogEntry = { method, path: rawPath, status: 0, headers: loggedHeaders(req) };
    log.push(entry);
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    const body = method === 'PUT' ? await readBody(req) : undefined;

    const waitForLatency = async (): Promise<void> => {
      const remaining = arrival + latencyMs - performance.now();
      if (remaining > 0) await sleep(remaining);
    };

    const routed = route(method, path, req, body);
    entry.target = routed.target;
    let reply = routed.reply;
    const fault = routed.target && routed.authorized ? takeFault(faults, routed.target) : undefined;
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'delay') await sleep(fault.ms);
    await waitForLatency();

    if (fault?.kind === 'reset') {
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault && fault.kind !== 'delay') reply = applyFault(fault, reply, path);
    entry.status = reply.status;

    if (fault?.kind === 'truncated' && fault.mode !== 'document') {
      const full = reply.body ?? Buffer.alloc(0);
      res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(full.length) });
      res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.destroy());
      return;
    }
    if (fault?.kind === 'oversized') {
      const full = reply.body ?? Buffer.alloc(0);
      if (fault.chunked) {
        res.writeHead(reply.status, reply.headers);
        await writeChunked(res, full, 64 * 1024);
      } else {
        res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(full.length) });
        res.end(full);
      }
      return;
    }
    send(res, reply, method === 'HEAD');
  }

  function route(
    method: string,
    path: string,
    req: IncomingMessage,
    body: Buffer | undefined,
  ): { reply: Reply; target?: RequestTarget; authorized?: boolean } {
    const segments = path.split('/').filter((s) => s !== '');
    const readMethod = method === 'GET' || method === 'HEAD';
    if (segments[0] !== 'broker') return { reply: errorReply(404, path) };

    if (segments.length === 2 && segments[1] === 'status') {
      const target: RequestTarget = { endpoint: 'status' };
      if (!readMethod) return { reply: errorReply(405, path), target };
      return { reply: xmlReply(brokerStatusXml(state.now(), version)), target, authorized: true };
    }

    if (segments[1] === 'my' && segments[2] === 'node' && segments.length === 4) {
      if (method !== 'PUT') return { reply: errorReply(405, path) };
      const nodeId = authenticateNode(req);
      if (nodeId === undefined) return { reply: errorReply(401, path) };
      const contentType = req.headers['content-type'];
      const resource = decodeSegment(segments[3] ?? '');
      // The broker derives a file name from the media type and fails without one.
      if (contentType === undefined || resource === undefined) return { reply: errorReply(500, path) };
      state.upload(nodeId, resource, body ?? Buffer.alloc(0), contentType);
      return { reply: { status: 204, headers: {} } };
    }

    if (segments[1] !== 'node' || segments.length > 4) return { reply: errorReply(404, path) };
    const idText = segments[2];
    const resourceText = segments[3];
    const resource = resourceText === undefined ? undefined : decodeSegment(resourceText);
    const parsedId = idText === undefined ? undefined : parseJavaInt(idText);
    const target: RequestTarget =
      idText === undefined
        ? { endpoint: 'node-list' }
        : { endpoint: 'node', nodeId: parsedId ?? -1, ...(resource === undefined ? {} : { resource }) };
    if (!readMethod) return { reply: errorReply(405, path), target };
    if (!isAdmin(req)) return { reply: errorReply(401, path), target };
    if (idText === undefined) {
      return {
        reply: xmlReply(nodeListXml([...state.nodes.values()].map(listDocument), prefix)),
        target,
        authorized: true,
      };
    }
    const node = parsedId === undefined ? undefined : state.nodes.get(parsedId);
    if (node === undefined || (resourceText !== undefined && resource === undefined)) {
      return { reply: errorReply(404, path), target, authorized: true };
    }
    if (resource === undefined) {
      return {
        reply: xmlReply(nodeXml({ ...listDocument(node), modules: node.modules }, prefix)),
        target,
        authorized: true,
      };
    }
    const stored = node.resources.get(resource);
    if (stored === undefined) return { reply: errorReply(404, path), target, authorized: true };
    return { reply: resourceReply(stored, req), target, authorized: true };
  }

  function isAdmin(req: IncomingMessage): boolean {
    return bearerToken(req) === options.adminKey;
  }

  function authenticateNode(req: IncomingMessage): number | undefined {
    const key = bearerToken(req);
    if (key === undefined) return undefined;
    const clientDN = nodeKeys.get(key);
    if (clientDN === undefined) return undefined;
    let id = nodeIdByKey.get(key);
    if (id === undefined) {
      id = state.addNode({ clientDN }).id;
      nodeIdByKey.set(key, id);
    }
    state.contact(id);
    return id;
  }

  function applyFault(fault: Fault, reply: Reply, path: string): Reply {
    switch (fault.kind) {
      case 'status':
        return errorReply(fault.status, path);
      case 'malformed':
        return xmlReply(
          '<?xml version="1.0" encoding="UTF-8"?>\n<import-statistics><start>2020-01-01T00:00:00+01:00</begin></import-statistics>\n',
        );
      case 'truncated': {
        const full =
          reply.body && reply.body.length > 0
            ? reply
            : xmlReply(propertiesXml({ os: 'Ubuntu 22.04' }, 'versions'));
        if (fault.mode !== 'document') return full;
        const body = (full.body ?? Buffer.alloc(0)).subarray(0, Math.floor((full.body?.length ?? 0) / 2));
        return { status: full.status, headers: full.headers, body };
      }
      case 'entity-bomb':
        return xmlReply(entityBombXml());
      case 'oversized': {
        const head = '<?xml version="1.0" encoding="UTF-8"?><properties><comment>';
        const tail = '</comment></properties>';
        const filler = Math.max(0, fault.bytes - head.length - tail.length);
        return xmlReply(head + 'x'.repeat(filler) + tail);
      }
      case 'hostile-ids': {
        const nodes = [...state.nodes.values()].map(listDocument);
        for (const id of fault.ids) nodes.push({ id, clientDN: `CN=${id}`, websocket: false });
        return xmlReply(nodeListXml(nodes, prefix));
      }
      case 'delay':
      case 'reset':
        return reply;
    }
  }

  const { server, origin: url } = await serveOnLoopback(
    handler,
    options.https ? { key: testKey, cert: testCert } : undefined,
  );

  return {
    url,
    now: () => state.now(),
    setNow: (date) => state.setNow(date),
    addNode: (input) => state.addNode(input),
    node: (id) => state.node(id),
    contact: (id) => state.contact(id),
    upload: (id, resource, body, contentType) => state.upload(id, resource, body, contentType),
    uploadStats: (id, stats, format) => state.uploadStats(id, stats, format),
    uploadProperties: (id, resource, entries) => state.uploadProperties(id, resource, entries),
    deleteResource: (id, resource) => state.deleteResource(id, resource),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    addFault: (target, fault, times = Number.POSITIVE_INFINITY) => {
      faults.push({ target, fault, remaining: times });
    },
    clearFaults: () => {
      faults = [];
    },
    requests: () => log,
    concurrency: () => ({ current: inFlight, peak }),
    clearRequests: () => {
      log = [];
      peak = inFlight;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listDocument(node: EmulatedNode): NodeDocumentInput {
  return { id: node.id, clientDN: node.clientDN, lastContact: node.lastContact, websocket: node.websocket };
}

/**
 * NodeInfoEndpoint.getNodeResource: `evaluatePreconditions(lastModified)` (If-Unmodified-Since,
 * then If-Modified-Since at second precision; If-None-Match is never looked at), then ETag
 * (url-safe base64 of SHA-256), Content-MD5, Last-Modified and Cache-Control on 200 and 304 alike.
 */
function resourceReply(stored: StoredResource, req: IncomingMessage): Reply {
  const headers: Record<string, string> = {
    ETag: `"${urlSafeBase64(stored.sha256)}"`,
    'Content-MD5': urlSafeBase64(stored.md5),
    'Last-Modified': formatHttpDate(stored.lastModified),
    'Cache-Control': 'no-transform, must-revalidate, max-age=300',
  };
  const lastModifiedSeconds = Math.floor(stored.lastModified.getTime() / 1000) * 1000;
  const ifUnmodifiedSince = parseHttpDate(req.headers['if-unmodified-since']);
  if (ifUnmodifiedSince !== undefined && lastModifiedSeconds > ifUnmodifiedSince)
    return { status: 412, headers };
  const ifModifiedSince = parseHttpDate(req.headers['if-modified-since']);
  if (ifModifiedSince !== undefined && lastModifiedSeconds <= ifModifiedSince)
    return { status: 304, headers };
  return { status: 200, headers: { ...headers, 'Content-Type': stored.contentType }, body: stored.body };
}

function xmlReply(xml: string): Reply {
  return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: Buffer.from(xml, 'utf8') };
}

function errorReply(status: number, path: string): Reply {
  return {
    status,
    headers: {
      'Content-Type': 'text/html;charset=utf-8',
      'Cache-Control': 'must-revalidate,no-cache,no-store',
    },
    body: Buffer.from(errorPageHtml(status, REASONS[status] ?? 'Error', path), 'utf8'),
  };
}

function send(res: ServerResponse, reply: Reply, head = false): void {
  if (res.destroyed) return;
  const body = reply.body;
  if (body === undefined || reply.status === 304 || reply.status === 204) {
    res.writeHead(reply.status, reply.headers);
    res.end();
    return;
  }
  if (body.length <= JERSEY_BUFFER_BYTES || head) {
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
    res.end(head ? undefined : body);
    return;
  }
  res.writeHead(reply.status, reply.headers);
  void writeChunked(res, body, JERSEY_BUFFER_BYTES);
}

async function writeChunked(res: ServerResponse, body: Buffer, chunkSize: number): Promise<void> {
  for (let offset = 0; offset < body.length; offset += chunkSize) {
    if (res.destroyed) return;
    const ok = res.write(body.subarray(offset, offset + chunkSize));
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
}

function loggedHeaders(req: IncomingMessage): RequestLogEntry['headers'] {
  const headers: RequestLogEntry['headers'] = {};
  const pick = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const authorization = pick('authorization');
  const accept = pick('accept');
  const ifModifiedSince = pick('if-modified-since');
  const ifNoneMatch = pick('if-none-match');
  const userAgent = pick('user-agent');
  if (authorization !== undefined) headers.authorization = authorization;
  if (accept !== undefined) headers.accept = accept;
  if (ifModifiedSince !== undefined) headers.ifModifiedSince = ifModifiedSince;
  if (ifNoneMatch !== undefined) headers.ifNoneMatch = ifNoneMatch;
  if (userAgent !== undefined) headers.userAgent = userAgent;
  return headers;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** JAX-RS converts `{id}` with `Integer.valueOf`; anything else is a 404. */
function parseJavaInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -2147483648 && value <= 2147483647 ? value : undefined;
}

function urlSafeBase64(bytes: Buffer): string {
  // java.util.Base64.getUrlEncoder() keeps the `=` padding.
  return bytes.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The HTTP date forms Jersey's HttpHeaderReader accepts (RFC 1123, RFC 1036, asctime); else ignored. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rfc1123 = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(value);
  const rfc1036 = /^[A-Z][a-z]+, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(value);
  const asctime = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(
    value,
  );
  let fields: [string, string, string, string, string, string] | undefined;
  if (rfc1123)
    fields = [rfc1123[3], rfc1123[2], rfc1123[1], rfc1123[4], rfc1123[5], rfc1123[6]] as typeof fields;
  else if (rfc1036) {
    const yy = Number(rfc1036[3]);
    const year = String(yy < 70 ? 2000 + yy : 1900 + yy);
    fields = [year, rfc1036[2], rfc1036[1], rfc1036[4], rfc1036[5], rfc1036[6]] as typeof fields;
  } else if (asctime)
    fields = [asctime[6], asctime[1], asctime[2], asctime[3], asctime[4], asctime[5]] as typeof fields;
  if (fields === undefined) return undefined;
  const month = MONTHS.indexOf(fields[1]);
  if (month < 0) return undefined;
  const [year, , day, hour, minute, second] = fields.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(year, month, day, hour, minute, second);
}
