import {
  type Attempt,
  type ConnectionPool,
  type Limiter,
  type RetryOptions,
  withRetries,
} from '@broker-monitor/http-transport';
import ky from 'ky';
import {
  ConfluenceError,
  ConfluenceHttpError,
  ConfluenceNetworkError,
  ConfluenceResponseError,
  ConfluenceTimeoutError,
} from './errors.js';

export interface TransportOptions {
  authorization: string;
  /** Strings that must never appear in an error message (the token, the encoded credentials). */
  secrets: readonly string[];
  timeoutMs: number;
  tries: number;
  retryDelayMs: number;
  limiter: Limiter;
  /** The connection pool for every attempt; undefined for fetch's own. */
  dispatcher: ConnectionPool | undefined;
}

export interface OutgoingRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  json?: unknown;
  body?: { bytes: Uint8Array; contentType: string };
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  contentType: string;
  bytes: Buffer;
  attempts: number;
}

/** Longest wait a server's Retry-After may impose before we give up on it instead. */
const maxRetryAfterMs = 30_000;

export type Send = (request: OutgoingRequest) => Promise<Answer>;

/**
 * Sends one logical request: each attempt holds a slot of the shared concurrency limit (released
 * while backing off), has its own timeout covering the whole answer, and is repeated on network
 * errors, timeouts, 5xx and 429. Every request this client makes may be repeated: GETs are
 * idempotent; a PUT carries an explicit version, so a repeat of one that landed gets a 409, which
 * updatePage resolves; a repeated page or attachment POST that landed gets a 400 "already exists",
 * which createPage and uploadAttachment resolve by reading what is there; a repeated attachment
 * data POST adds one identical version.
 */
export function createTransport(options: TransportOptions): Send {
  const http = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    headers: { Authorization: options.authorization, Accept: 'application/json' },
  });
  // Retry-After of a 429/503, kept beside the error rather than on it.
  const serverWaits = new WeakMap<object, number>();
  const redact = (text: string): string =>
    options.secrets.reduce((out, secret) => (secret ? out.replaceAll(secret, '***') : out), text);

  const attempt = async (
    request: OutgoingRequest,
    { tryNumber: attempts, signal, timedOut }: Attempt,
  ): Promise<Answer> => {
    const where = { method: request.method, url: request.url, attempts };
    try {
      const response = await http(request.url, {
        method: request.method,
        signal,
        ...(request.json === undefined ? {} : { json: request.json }),
        ...(request.body ? { body: request.body.bytes } : {}),
        headers: {
          ...(request.body ? { 'Content-Type': request.body.contentType } : {}),
          ...request.headers,
        },
        ...(options.dispatcher ? { dispatcher: await options.dispatcher.get() } : {}),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      const contentType = response.headers.get('content-type') ?? '';
      if (response.ok) return { status: response.status, contentType, bytes, attempts };
      const error = new ConfluenceHttpError(
        where,
        response.status,
        response.statusText,
        errorMessage(contentType, bytes, redact),
      );
      const wait = retryAfterMs(response.headers.get('retry-after'));
      if (wait !== undefined) serverWaits.set(error, wait);
      throw error;
    } catch (error) {
      if (error instanceof ConfluenceError) throw error;
      if (timedOut()) throw new ConfluenceTimeoutError(where, options.timeoutMs);
      const cause = deepestCause(error);
      throw new ConfluenceNetworkError(where, redact(cause.message), cause.code);
    }
  };

  const retries: RetryOptions = {
    tries: options.tries,
    retryDelayMs: options.retryDelayMs,
    timeoutMs: options.timeoutMs,
    limiter: options.limiter,
    isTransient: isRetriable,
    serverDelayMs: (error) => serverWaits.get(error as object),
  };
  return (request) => withRetries(retries, (context) => attempt(request, context));
}

function isRetriable(error: unknown): boolean {
  if (error instanceof ConfluenceNetworkError || error instanceof ConfluenceTimeoutError) return true;
  return error instanceof ConfluenceHttpError && (error.status >= 500 || error.status === 429);
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), maxRetryAfterMs) : undefined;
}

/** Confluence explains errors in the `message` of a JSON body; some filters answer in plain text. */
function errorMessage(
  contentType: string,
  bytes: Buffer,
  redact: (text: string) => string,
): string | undefined {
  const text = bytes.toString('utf8');
  if (contentType.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const message =
        typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'message') : undefined;
      return typeof message === 'string' ? redact(message) : undefined;
    } catch {
      return undefined;
    }
  }
  if (contentType.startsWith('text/plain') && text.trim() !== '') return redact(text.trim().slice(0, 500));
  return undefined;
}

/** fetch wraps the real reason ("connect ECONNREFUSED …", a TLS error) in one or two layers of causes. */
function deepestCause(error: unknown): { message: string; code: string | undefined } {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  const code = current instanceof Error ? Reflect.get(current, 'code') : undefined;
  return { message, code: typeof code === 'string' ? code : undefined };
}

/** Parses a 2xx JSON answer, or says plainly that the server sent something else. */
export function parseJsonAnswer(answer: Answer, request: OutgoingRequest): unknown {
  const where = { method: request.method, url: request.url, attempts: answer.attempts };
  if (!answer.contentType.includes('json')) {
    throw new ConfluenceResponseError(
      `Confluence answered ${request.method} ${request.url} with ${answer.contentType || 'no content type'} instead of JSON (a proxy or login page?)`,
      where,
    );
  }
  try {
    return JSON.parse(answer.bytes.toString('utf8'));
  } catch {
    throw new ConfluenceResponseError(
      `Confluence answered ${request.method} ${request.url} with invalid JSON`,
      where,
    );
  }
}
