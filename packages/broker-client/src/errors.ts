/**
 * Typed failures of broker requests. They carry the method, the URL (without any user info)
 * and, where there is one, the HTTP status — never the API key, which only ever travels in the
 * Authorization header and is not copied anywhere.
 */

export interface BrokerErrorDetails {
  method: string;
  url: string;
}

export abstract class BrokerError extends Error {
  readonly method: string;
  readonly url: string;

  constructor(message: string, details: BrokerErrorDetails) {
    super(`${message} (${details.method} ${details.url})`);
    this.method = details.method;
    this.url = details.url;
  }
}

/** The broker answered with an HTTP status the call cannot use (after retries for 5xx). */
export class BrokerHttpError extends BrokerError {
  override name = 'BrokerHttpError';
  readonly status: number;

  constructor(status: number, details: BrokerErrorDetails) {
    super(`broker answered HTTP ${status}`, details);
    this.status = status;
  }
}

/** No complete response within the per-request timeout (after retries). */
export class BrokerTimeoutError extends BrokerError {
  override name = 'BrokerTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number, details: BrokerErrorDetails) {
    super(`no complete response within ${timeoutMs} ms`, details);
    this.timeoutMs = timeoutMs;
  }
}

/** Connection refused, reset or cut mid-body, DNS or TLS failure (after retries). */
export class BrokerNetworkError extends BrokerError {
  override name = 'BrokerNetworkError';
  /** System or library error code, e.g. ECONNRESET, UND_ERR_SOCKET, DEPTH_ZERO_SELF_SIGNED_CERT. */
  readonly code: string | undefined;

  constructor(reason: string, code: string | undefined, details: BrokerErrorDetails) {
    super(`network error: ${reason}`, details);
    this.code = code;
  }
}

/**
 * The response cannot be used: malformed or truncated XML, a refused DTD or entity
 * declaration, a body over the size limit, an invalid node id or number.
 */
export class BrokerResponseError extends BrokerError {
  override name = 'BrokerResponseError';
  readonly status: number;

  constructor(reason: string, status: number, details: BrokerErrorDetails) {
    super(reason, details);
    this.status = status;
  }
}

/** True for failures worth another try: network errors, timeouts and 5xx answers. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof BrokerNetworkError ||
    error instanceof BrokerTimeoutError ||
    (error instanceof BrokerHttpError && error.status >= 500)
  );
}

/** An option of createBrokerClient is unusable; `option` says which, so that callers can name their key. */
export class InvalidOptionError extends TypeError {
  override name = 'InvalidOptionError';

  constructor(
    readonly option: 'url' | 'apiKey',
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a failed attempt is thrown as: the caller's own abort reason, a BrokerTimeoutError when the
 * attempt's deadline caused it, an error of this module as it is, and anything else (a socket or
 * TLS failure) as a BrokerNetworkError with its innermost message and code.
 */
export function attemptFailure(
  error: unknown,
  attempt: {
    signal: AbortSignal | undefined;
    timedOut: boolean;
    timeoutMs: number;
    details: BrokerErrorDetails;
  },
): unknown {
  if (attempt.signal?.aborted) return attempt.signal.reason;
  if (attempt.timedOut) return new BrokerTimeoutError(attempt.timeoutMs, attempt.details);
  if (error instanceof BrokerHttpError || error instanceof BrokerResponseError) return error;
  const { reason, code } = describeNetworkError(error);
  return new BrokerNetworkError(reason, code, attempt.details);
}

/** The innermost message and code of a request failure (undici may wrap the socket error). */
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
