import type { Dispatcher } from 'undici';

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
  headers: Record<string, string | string[] | undefined>;
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

/**
 * The request through undici's dispatch with a handler that gathers the body itself: no Readable
 * stream, async iterator or async resource per request as undici's `request` makes, which were a
 * good part of the collector's CPU per request (pnpm bench).
 */
export function collectResponse(dispatcher: Dispatcher, options: CollectOptions): Promise<CollectedResponse> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let statusCode = 0;
    let headers: CollectedResponse['headers'] = {};
    let keep = true;
    const chunks: Buffer[] = [];
    let received = 0;
    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve({ statusCode, headers, body: Buffer.concat(chunks, received) });
      else reject(error);
    };
    const fail = (error: Error): void => {
      controller?.abort(error);
      settle(error);
    };
    const onAbort = (): void => fail(signal?.reason ?? new Error('aborted'));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    dispatcher.dispatch(
      { origin: options.origin, path: options.path, method: options.method, headers: options.headers },
      {
        onRequestStart(started) {
          controller = started;
          if (settled) started.abort(new Error('aborted'));
        },
        onResponseStart(_controller, status, responseHeaders) {
          statusCode = status;
          headers = responseHeaders;
          keep = options.keepBody?.(status) ?? true;
          if (keep && Number(responseHeaders['content-length']) > options.maxBodyBytes) {
            fail(new BodyTooLargeError(status, options.maxBodyBytes));
          }
        },
        onResponseData(_controller, chunk) {
          if (!keep) return;
          received += chunk.byteLength;
          if (received > options.maxBodyBytes) fail(new BodyTooLargeError(statusCode, options.maxBodyBytes));
          else chunks.push(chunk);
        },
        onResponseEnd() {
          settle(undefined);
        },
        onResponseError(_controller, error) {
          settle(error);
        },
      },
    );
  });
}
