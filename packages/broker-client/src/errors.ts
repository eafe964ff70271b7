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
