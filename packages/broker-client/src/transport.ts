/**
 * One broker request: one `collect` on the connection pool per attempt, under a per-attempt
 * deadline that also covers reading the (size-capped) body, inside the client's shared concurrency
 * limit; transient failures (network, timeout, 5xx) are tried again after an exponential, jittered
 * pause.
 *
 * Retries cover the whole answer, not only its headers: a body cut off or stalled half-way is
 * tried again too; and a request waiting out its backoff holds none of the shared concurrency
 * slots.
 */
import {
  type Attempt,
  BodyTooLargeError,
  type CollectedResponse,
  createConnectionPool,
  createLimiter,
  type Limiter,
  withRetries,
} from '@broker-monitor/http-transport';
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
  const { origin } = base;
  const basePath = base.pathname.replace(/\/+$/, '');
  const pool = createConnectionPool(options.caBundlePath);
  const limiter: Limiter = createLimiter(options.concurrency);

  async function attempt(
    spec: RequestSpec,
    details: BrokerErrorDetails,
    { signal, timedOut }: Attempt,
  ): Promise<CompletedResponse> {
    const started = performance.now();
    try {
      // The pool's own dispatch rather than fetch (and ky on top): no Request, Response, Headers and
      // web streams per request, which were most of the collector's CPU per node. It follows no
      // redirect either: a redirect is reported, and the key never travels to wherever it points.
      const response = await pool.collect({
        origin,
        path: `${basePath}/${spec.path}`,
        method: spec.method,
        headers: {
          accept: 'application/xml',
          'user-agent': options.userAgent,
          ...(spec.authenticated ? { authorization: `Bearer ${options.apiKey}` } : {}),
          ...(spec.ifModifiedSince === undefined ? {} : { 'if-modified-since': spec.ifModifiedSince }),
        },
        signal,
        maxBodyBytes: options.maxBodyBytes,
        keepBody: (status) => spec.method === 'GET' && spec.expect(status),
      });
      const status = response.statusCode;
      if (!spec.expect(status)) throw new BrokerHttpError(status, details);
      options.logger?.debug?.(
        { method: spec.method, url: details.url, status, ms: Math.round(performance.now() - started) },
        'broker response',
      );
      return { status, header: (name) => headerValue(response.headers, name), body: response.body, details };
    } catch (error) {
      const failure =
        error instanceof BodyTooLargeError
          ? new BrokerResponseError(error.message, error.statusCode, details)
          : error;
      throw attemptFailure(failure, {
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

/** A header as fetch's `Headers.get` gives it: repeated values joined with ", ", `null` when absent. */
function headerValue(headers: CollectedResponse['headers'], name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
