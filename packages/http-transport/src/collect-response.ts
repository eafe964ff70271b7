import { createRequire } from 'node:module';
import { connect as connectTcp, type Socket } from 'node:net';
import { type ResponseHeaders, ResponseParser } from './response-parser.js';

/** One request whose whole answer is wanted in memory. */
export interface CollectOptions {
  origin: string;
  /** Path and query, e.g. `/broker/node/3/stats`. */
  path: string;
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  /** Ends the request: it is rejected with the signal's reason. */
  signal?: AbortSignal;
  /** The longest body accepted, declared or received; a longer one is a BodyTooLargeError. */
  maxBodyBytes: number;
  /** Whether the body of an answer with this status is wanted; an unwanted one is read and dropped. */
  keepBody?(statusCode: number): boolean;
}

/** A complete answer: status, headers (lower-case names) and the whole body. */
export interface CollectedResponse {
  statusCode: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/** The answer's body (declared or received so far) passed `CollectOptions.maxBodyBytes`. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';

  constructor(
    readonly statusCode: number,
    readonly maxBodyBytes: number,
  ) {
    super(`response body larger than ${maxBodyBytes} bytes`);
  }
}

/** Keep-alive connections of HTTP/1.1 requests whose answers are collected whole. */
export interface ResponseCollector {
  collect(options: CollectOptions): Promise<CollectedResponse>;
  /** Closes the idle connections; one still answering is closed when its answer is complete. */
  close(): void;
}

/** How long an idle connection is reused unless the server's Keep-Alive asks for less. */
const IDLE_MS = 4000;
const REQUEST_TARGET = /^\/[\x21-\x7e]*$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

interface Endpoint {
  tls: boolean;
  host: string;
  port: number;
  /** The Host header: host and, unless it is the scheme's default, port. */
  authority: string;
}

interface IdleConnection {
  socket: Socket;
  /** When it may no longer be reused (performance.now). */
  expiresAt: number;
  /** Forgets the connection when the server closes it (or it fails) while idle. */
  onGone(): void;
}

// node:tls is loaded by the first https connection: loading it costs some 30 ms of CPU, which a
// run against an http broker (or only ever answered from an idle connection) never needs.
const loadBuiltin = createRequire(import.meta.url);
type TlsModule = typeof import('node:tls');

/**
 * Requests over plain keep-alive sockets (net or tls) rather than a general HTTP client: one
 * request per connection at a time, connections reused most-recent first, idle ones unreferenced so
 * that they never keep the process alive. TLS connections trust Node's root certificates and, when
 * given, the PEM text `extraCa`.
 */
export function createResponseCollector(extraCa: string | undefined): ResponseCollector {
  const idle = new Map<string, IdleConnection[]>();
  const endpoints = new Map<string, Endpoint>();
  let closed = false;

  const endpointOf = (origin: string): Endpoint => {
    let endpoint = endpoints.get(origin);
    if (endpoint === undefined) {
      const url = new URL(origin);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new TypeError(`not an http(s) origin: ${JSON.stringify(origin)}`);
      }
      const secure = url.protocol === 'https:';
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      endpoint = { tls: secure, host, port: Number(url.port || (secure ? 443 : 80)), authority: url.host };
      endpoints.set(origin, endpoint);
    }
    return endpoint;
  };

  let tls: { module: TlsModule; ca: string[] | undefined } | undefined;
  const connectTls = (endpoint: Endpoint): Socket => {
    if (tls === undefined) {
      const module = loadBuiltin('node:tls') as TlsModule;
      tls = { module, ca: extraCa === undefined ? undefined : [...module.rootCertificates, extraCa] };
    }
    return tls.module.connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(/^[\d.]+$|:/.test(endpoint.host) ? {} : { servername: endpoint.host }),
      ALPNProtocols: ['http/1.1'],
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    });
  };

  const open = (endpoint: Endpoint): Socket => {
    const socket = endpoint.tls
      ? connectTls(endpoint)
      : connectTcp({ host: endpoint.host, port: endpoint.port });
    socket.setNoDelay(true);
    return socket;
  };

  /** The most recently used idle connection to the origin that is still fit, if any. */
  const takeIdle = (origin: string): Socket | undefined => {
    const list = idle.get(origin);
    const now = performance.now();
    for (let entry = list?.pop(); entry !== undefined; entry = list?.pop()) {
      entry.socket.removeListener('close', entry.onGone);
      entry.socket.removeListener('error', entry.onGone);
      if (entry.expiresAt > now && !entry.socket.destroyed) {
        entry.socket.ref();
        return entry.socket;
      }
      entry.socket.destroy();
    }
    return undefined;
  };

  const putIdle = (origin: string, socket: Socket, keepAliveTimeoutMs: number | undefined): void => {
    // A server's Keep-Alive timeout is met two seconds early (as undici does), so that it hardly
    // ever closes a socket just as a request goes out on it: that request fails and is retried.
    const idleMs = Math.min(IDLE_MS, (keepAliveTimeoutMs ?? Number.POSITIVE_INFINITY) - 2000);
    if (closed || idleMs <= 0) {
      socket.destroy();
      return;
    }
    let list = idle.get(origin);
    if (list === undefined) {
      list = [];
      idle.set(origin, list);
    }
    const entry: IdleConnection = {
      socket,
      expiresAt: performance.now() + idleMs,
      onGone: () => {
        socket.destroy();
        const index = list.indexOf(entry);
        if (index >= 0) list.splice(index, 1);
      },
    };
    list.push(entry);
    socket.unref();
    socket.on('close', entry.onGone);
    socket.on('error', entry.onGone);
  };

  const exchange = (options: CollectOptions, head: string, socket: Socket) =>
    new Promise<CollectedResponse>((resolve, reject) => {
      const { signal } = options;
      let statusCode = 0;
      let headers: ResponseHeaders = {};
      let keep = true;
      const chunks: Buffer[] = [];
      let received = 0;
      const parser = new ResponseParser(options.method, {
        onHead(status, responseHeaders) {
          statusCode = status;
          headers = responseHeaders;
          keep = options.keepBody?.(status) ?? true;
          if (keep && Number(responseHeaders['content-length']) > options.maxBodyBytes) {
            throw new BodyTooLargeError(status, options.maxBodyBytes);
          }
        },
        onBody(chunk) {
          if (!keep) return;
          received += chunk.byteLength;
          if (received > options.maxBodyBytes) throw new BodyTooLargeError(statusCode, options.maxBodyBytes);
          chunks.push(chunk);
        },
      });
      const detach = (): void => {
        socket.removeListener('data', onData);
        socket.removeListener('end', onEnd);
        socket.removeListener('error', onError);
        socket.removeListener('close', onClose);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown): void => {
        detach();
        socket.destroy();
        reject(error);
      };
      const finish = (): void => {
        detach();
        if (parser.keepAlive && parser.excess === 0 && !socket.destroyed) {
          putIdle(options.origin, socket, parser.keepAliveTimeoutMs);
        } else socket.destroy();
        resolve({
          statusCode,
          headers,
          body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        });
      };
      const onData = (chunk: Buffer): void => {
        try {
          parser.feed(chunk);
        } catch (error) {
          fail(error);
          return;
        }
        if (parser.done) finish();
      };
      const onEnd = (): void => {
        try {
          parser.end();
        } catch (error) {
          fail(error);
          return;
        }
        finish();
      };
      const onError = (error: Error): void => fail(error);
      const onClose = (): void => onEnd();
      const onAbort = (): void => fail(signal?.reason);
      socket.on('data', onData);
      socket.on('end', onEnd);
      socket.on('error', onError);
      socket.on('close', onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.write(head, 'latin1');
    });

  return {
    async collect(options) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (closed) throw new Error('the connection pool is closed');
      const endpoint = endpointOf(options.origin);
      const head = requestHead(options, endpoint);
      return exchange(options, head, takeIdle(options.origin) ?? open(endpoint));
    },
    close() {
      closed = true;
      for (const list of idle.values()) for (const { socket } of list.splice(0)) socket.destroy();
    },
  };
}

function requestHead(options: CollectOptions, endpoint: Endpoint): string {
  if (!REQUEST_TARGET.test(options.path)) {
    throw new TypeError(`invalid request path ${JSON.stringify(options.path.slice(0, 80))}`);
  }
  let head = `${options.method} ${options.path} HTTP/1.1\r\nhost: ${endpoint.authority}\r\n`;
  for (const name in options.headers) {
    const value = options.headers[name] as string;
    if (!FIELD_VALUE.test(value)) throw new TypeError(`invalid value of request header ${name}`);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}
