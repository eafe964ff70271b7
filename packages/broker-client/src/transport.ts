/**
 * One broker request: a ky call per attempt, under a per-attempt deadline that also covers
 * reading the (size-capped) body, inside the client's shared concurrency limit; transient
 * failures (network, timeout, 5xx) are tried again after an exponential, jittered pause.
 *
 * Retries live here rather than in ky's own retry because ky's retry ends when the headers
 * arrive, and a body cut off or stalled half-way must be tried again too; and because a
 * request waiting out its backoff must not hold one of the shared concurrency slots.
 */
import {
  type Attempt,
  createConnectionPool,
  createLimiter,
  type Limiter,
  withRetries,
} from '@broker-monitor/http-transport';
import ky, { type KyInstance } from 'ky';
import {
  type BrokerErrorDetails,
  BrokerHttpError,
  BrokerNetworkError,
  BrokerResponseError,
  BrokerTimeoutError,
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
  headers: Headers;
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
    // fetch refuses such URLs anyway; say so without echoing them.
    throw new InvalidOptionError('url', 'the broker URL must not contain a user name or password');
  }
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(options.apiKey)) {
    // Checked here because fetch would quote an invalid header value in its error message.
    throw new InvalidOptionError('apiKey', 'the API key must be printable ASCII without surrounding blanks');
  }
  const baseText = base.href.replace(/\/+$/, '');
  const pool = createConnectionPool(options.caBundlePath);
  const anonymous: KyInstance = ky.create({
    prefix: baseText,
    timeout: false,
    retry: 0,
    throwHttpErrors: false,
    // A redirect is reported, not followed: the key must not travel to wherever it points.
    redirect: 'manual',
    headers: { accept: 'application/xml', 'user-agent': options.userAgent },
    fetch: async (input, init) =>
      fetch(input, {
        ...init,
        dispatcher: (await pool.get()) as unknown as NonNullable<RequestInit['dispatcher']>,
      }),
  });
  const authenticated = anonymous.extend({ headers: { authorization: `Bearer ${options.apiKey}` } });
  const limiter: Limiter = createLimiter(options.concurrency);

  async function attempt(
    spec: RequestSpec,
    details: BrokerErrorDetails,
    { signal, timedOut }: Attempt,
  ): Promise<CompletedResponse> {
    const started = performance.now();
    try {
      const http = spec.authenticated ? authenticated : anonymous;
      const response = await http(spec.path, {
        method: spec.method,
        signal,
        ...(spec.ifModifiedSince === undefined
          ? {}
          : { headers: { 'if-modified-since': spec.ifModifiedSince } }),
      });
      if (!spec.expect(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        throw new BrokerHttpError(response.status, details);
      }
      const body =
        spec.method === 'HEAD' ? new Uint8Array() : await readBody(response, options.maxBodyBytes, details);
      options.logger?.debug?.(
        {
          method: spec.method,
          url: details.url,
          status: response.status,
          ms: Math.round(performance.now() - started),
        },
        'broker response',
      );
      return { status: response.status, headers: response.headers, body, details };
    } catch (error) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      if (timedOut()) throw new BrokerTimeoutError(options.timeoutMs, details);
      if (error instanceof BrokerHttpError || error instanceof BrokerResponseError) throw error;
      const { reason, code } = describeNetworkError(error);
      throw new BrokerNetworkError(reason, code, details);
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

/** Reads the whole body, refusing it as soon as it passes the limit (declared or streamed). */
async function readBody(
  response: Response,
  maxBytes: number,
  details: BrokerErrorDetails,
): Promise<Uint8Array> {
  const tooLarge = (): BrokerResponseError =>
    new BrokerResponseError(`response body larger than ${maxBytes} bytes`, response.status, details);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The innermost message and code of a fetch failure (ky and undici wrap the socket error). */
function describeNetworkError(error: unknown): { reason: string; code: string | undefined } {
  let current: unknown = error;
  let reason = 'request failed';
  let code: string | undefined;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current.message) reason = current.message;
    const currentCode = (current as { code?: unknown }).code;
    if (typeof currentCode === 'string') code = currentCode;
    current = current.cause;
  }
  return { reason, code };
}
