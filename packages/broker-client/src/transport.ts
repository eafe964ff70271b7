/**
 * One broker request: an undici request per attempt, under a per-attempt deadline that also covers
 * reading the (size-capped) body, inside the client's shared concurrency limit; transient
 * failures (network, timeout, 5xx) are tried again after an exponential, jittered pause.
 *
 * Retries cover the whole answer, not only its headers: a body cut off or stalled half-way is
 * tried again too; and a request waiting out its backoff holds none of the shared concurrency
 * slots.
 */
import {
  type Attempt,
  createConnectionPool,
  createLimiter,
  type Limiter,
  withRetries,
} from '@broker-monitor/http-transport';
import type { Dispatcher } from 'undici';
import type { BrokerErrorDetails } from './errors.js';
import {
  attemptFailure,
  BrokerHttpError,
  BrokerResponseError,
  InvalidOptionError,
  isTransient,
} from './errors.js';

/** Structured logger (pino's `(object, message)` call shape); the client never logs headers. */
export interface BrokerClientLogger {
  debug?(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export interface TransportOptions {
  url: string;
  apiKey: string;
  timeoutMs: number;
  tries: number;
  concurrency: number;
  retryDelayMs: number;
  maxBodyBytes: number;
  userAgent: string;
  caBundlePath?: string;
  logger?: BrokerClientLogger;
}

export interface RequestSpec {
  method: 'GET' | 'HEAD';
  /** Path below the base URL, e.g. `broker/node/3/stats` (already validated and encoded). */
  path: string;
  authenticated: boolean;
  /** Statuses handed back to the caller; any other is a BrokerHttpError. */
  expect: (status: number) => boolean;
  ifModifiedSince?: string;
  signal?: AbortSignal;
}

export interface CompletedResponse {
  status: number;
  /** A response header by its lower-case name, `null` when absent. */
  header(name: string): string | null;
  body: Uint8Array;
  details: BrokerErrorDetails;
}

export interface Transport {
  request(spec: RequestSpec): Promise<CompletedResponse>;
  close(): Promise<void>;
}

export function createTransport(options: TransportOptions): Transport {
  if (!URL.canParse(options.url)) {
    throw new InvalidOptionError('url', `the broker URL is not a URL: ${JSON.stringify(options.url)}`);
  }
  const base = new URL(options.url);
  if (base.username !== '' || base.password !== '') {
    // Credentials belong in BROKER.API_KEY; say so without echoing them.
    throw new InvalidOptionError('url', 'the broker URL must not contain a user name or password');
  }
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(options.apiKey)) {
    // Checked here because an invalid header value would fail every request, quoted in its error message.
    throw new InvalidOptionError('apiKey', 'the API key must be printable ASCII without surrounding blanks');
  }
  const baseText = base.href.replace(/\/+$/, '');
  const pool = createConnectionPool(options.caBundlePath);
  const limiter: Limiter = createLimiter(options.concurrency);

  async function attempt(
    spec: RequestSpec,
    details: BrokerErrorDetails,
    { signal, timedOut }: Attempt,
  ): Promise<CompletedResponse> {
    const started = performance.now();
    try {
      // undici's own request rather than fetch (and ky on top): no Request, Response, Headers and
      // web streams per request, which were most of the collector's CPU per node. It follows no
      // redirect either: a redirect is reported, and the key never travels to wherever it points.
      const url = new URL(details.url);
      const response = await pool.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: spec.method,
        headers: {
          accept: 'application/xml',
          'user-agent': options.userAgent,
          ...(spec.authenticated ? { authorization: `Bearer ${options.apiKey}` } : {}),
          ...(spec.ifModifiedSince === undefined ? {} : { 'if-modified-since': spec.ifModifiedSince }),
        },
        signal,
      });
      const status = response.statusCode;
      if (!spec.expect(status)) {
        await response.body.dump().catch(() => undefined);
        throw new BrokerHttpError(status, details);
      }
      let body: Uint8Array = new Uint8Array();
      if (spec.method === 'HEAD') await response.body.dump();
      else body = await readBody(response, options.maxBodyBytes, details);
      options.logger?.debug?.(
        { method: spec.method, url: details.url, status, ms: Math.round(performance.now() - started) },
        'broker response',
      );
      return { status, header: (name) => headerValue(response.headers, name), body, details };
    } catch (error) {
      throw attemptFailure(error, {
        signal: spec.signal,
        timedOut: timedOut(),
        timeoutMs: options.timeoutMs,
        details,
      });
    }
  }

  return {
    request(spec) {
      const details = { method: spec.method, url: `${baseText}/${spec.path}` };
      return withRetries(
        {
          tries: options.tries,
          retryDelayMs: options.retryDelayMs,
          timeoutMs: options.timeoutMs,
          limiter,
          isTransient,
          onRetry: (error, { tryNumber, delayMs }) =>
            options.logger?.warn(
              {
                method: details.method,
                url: details.url,
                try: tryNumber,
                tries: options.tries,
                delayMs,
                error: (error as Error).message,
              },
              'broker request failed, trying again',
            ),
          signal: spec.signal,
        },
        (context) => attempt(spec, details, context),
      );
    },
    close: () => pool.close(),
  };
}

type UndiciResponse = Dispatcher.ResponseData;

/** A header as fetch's `Headers.get` gives it: repeated values joined with ", ", `null` when absent. */
function headerValue(headers: UndiciResponse['headers'], name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Reads the whole body, refusing it as soon as it passes the limit (declared or streamed). */
async function readBody(
  response: UndiciResponse,
  maxBytes: number,
  details: BrokerErrorDetails,
): Promise<Uint8Array> {
  const tooLarge = (): BrokerResponseError =>
    new BrokerResponseError(`response body larger than ${maxBytes} bytes`, response.statusCode, details);
  const declared = Number(headerValue(response.headers, 'content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    response.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      response.body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
