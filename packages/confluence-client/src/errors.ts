/**
 * Base of every error this client throws. Messages name the method and URL but never a credential:
 * the token and the Authorization header are not part of any error, and text that comes back from
 * the server is scrubbed of them before it is used.
 */
export class ConfluenceError extends Error {
  override name = 'ConfluenceError';
  /** HTTP method of the failed request. */
  readonly method: string;
  /** Full URL of the failed request (no credentials are ever part of a URL here). */
  readonly url: string;
  /** How many times the request was sent before giving up. */
  readonly attempts: number;

  constructor(
    message: string,
    request: { method: string; url: string; attempts: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.method = request.method;
    this.url = request.url;
    this.attempts = request.attempts;
  }
}

/** Confluence answered with a non-2xx status (after retries for 5xx and 429). */
export class ConfluenceHttpError extends ConfluenceError {
  override name = 'ConfluenceHttpError';
  readonly status: number;
  /** Confluence's own explanation (`message` of its JSON error body), when it sent one. */
  readonly confluenceMessage: string | undefined;

  constructor(
    request: { method: string; url: string; attempts: number },
    status: number,
    statusText: string,
    confluenceMessage: string | undefined,
  ) {
    const reason = confluenceMessage ? `: ${confluenceMessage}` : '';
    super(
      `Confluence answered HTTP ${status} ${statusText} to ${request.method} ${request.url}${reason}`,
      request,
    );
    this.status = status;
    this.confluenceMessage = confluenceMessage;
  }

  /** 401 or 403: the token is wrong, expired or lacks permission (403 is also a failed XSRF check). */
  get isAuthFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }

  /** 400 "A page with this title already exists": titles are unique in a space (both flavours). */
  get isTitleTaken(): boolean {
    return this.status === 400 && /already exists/i.test(this.confluenceMessage ?? '');
  }
}

/** No answer: connection refused or reset, DNS failure, TLS failure (e.g. an untrusted certificate). */
export class ConfluenceNetworkError extends ConfluenceError {
  override name = 'ConfluenceNetworkError';
  /** The system error code when there is one, e.g. ECONNREFUSED or SELF_SIGNED_CERT_IN_CHAIN. */
  readonly code: string | undefined;

  constructor(
    request: { method: string; url: string; attempts: number },
    detail: string,
    code: string | undefined,
  ) {
    super(`Confluence unreachable: ${request.method} ${request.url} failed: ${detail}`, request);
    this.code = code;
  }
}

/** No complete answer within the per-request timeout. */
export class ConfluenceTimeoutError extends ConfluenceError {
  override name = 'ConfluenceTimeoutError';
  readonly timeoutMs: number;

  constructor(request: { method: string; url: string; attempts: number }, timeoutMs: number) {
    super(`Confluence did not answer ${request.method} ${request.url} within ${timeoutMs} ms`, request);
    this.timeoutMs = timeoutMs;
  }
}

/** A 2xx answer that is not what the REST API returns (e.g. an HTML login page from a proxy). */
export class ConfluenceResponseError extends ConfluenceError {
  override name = 'ConfluenceResponseError';
}

/** The space key names no space this account can see (Cloud looks every key up once, for its id). */
export class ConfluenceSpaceNotFoundError extends ConfluenceError {
  override name = 'ConfluenceSpaceNotFoundError';

  constructor(
    readonly spaceKey: string,
    request: { method: string; url: string; attempts: number },
  ) {
    super(`Confluence has no space with key ${spaceKey} (${request.method} ${request.url})`, request);
  }
}

/** An option createConfluenceClient cannot work with; `option` names it, so a caller can name its own setting. */
export class InvalidOptionError extends TypeError {
  constructor(
    readonly option: 'url' | 'token' | 'caBundlePath',
    message: string,
  ) {
    super(message);
  }
}
