import type { Limiter } from './limiter.js';

export interface RetryOptions {
  /** Attempts in all, the first one included. */
  tries: number;
  /** First backoff step; it doubles with every retry (see backoffDelayMs). */
  retryDelayMs: number;
  /** Deadline of each attempt, covering whatever the attempt does (read the body inside it). */
  timeoutMs: number;
  /** Each attempt holds one slot of it; a request waiting out its backoff holds none. */
  limiter: Limiter;
  /** The failures worth another attempt; any other is thrown at once. */
  isTransient(error: unknown): boolean;
  /** A wait the server asked for (e.g. its Retry-After), taken instead of the backoff. */
  serverDelayMs?(error: unknown): number | undefined;
  /** Told of every failure that will be tried again, before the pause. */
  onRetry?(error: unknown, retry: { tryNumber: number; delayMs: number }): void;
  /** Ends the request early: while it waits for a slot, during an attempt or a pause. */
  signal?: AbortSignal | undefined;
}

/** What one attempt is given. */
export interface Attempt {
  /** 1 for the first attempt. */
  readonly tryNumber: number;
  /** Aborted at the attempt's deadline or by the request's own signal. */
  readonly signal: AbortSignal;
  /** Whether the attempt's deadline has passed: tells a timeout from the failure it caused. */
  timedOut(): boolean;
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not transient, or has been tried
 * `tries` times; the last error is thrown. Each attempt runs inside the limiter under its own
 * deadline, and between attempts the request pauses for the server's wait or the backoff.
 */
export async function withRetries<T>(
  options: RetryOptions,
  attempt: (context: Attempt) => Promise<T>,
): Promise<T> {
  for (let tryNumber = 1; ; tryNumber++) {
    try {
      return await options.limiter(() => underDeadline(tryNumber, options, attempt), options.signal);
    } catch (error) {
      if (!options.isTransient(error) || tryNumber >= options.tries) throw error;
      const delayMs = options.serverDelayMs?.(error) ?? backoffDelayMs(options.retryDelayMs, tryNumber);
      options.onRetry?.(error, { tryNumber, delayMs });
      await pause(delayMs, options.signal);
    }
  }
}

/**
 * The pause after failed try `tryNumber`: exponential backoff with "equal jitter", between half and
 * all of `retryDelayMs * 2^(tryNumber-1)`, so that the retries of many requests spread out.
 */
export function backoffDelayMs(retryDelayMs: number, tryNumber: number, random = Math.random): number {
  const step = retryDelayMs * 2 ** (tryNumber - 1);
  return Math.round(step / 2 + random() * (step / 2));
}

async function underDeadline<T>(
  tryNumber: number,
  options: RetryOptions,
  attempt: (context: Attempt) => Promise<T>,
): Promise<T> {
  // A timer cleared when the attempt settles: AbortSignal.timeout would keep each request's fetch
  // state alive for the whole timeout (2000 page writes were some 5 MB). The request's own signal
  // is followed by a listener removed afterwards rather than AbortSignal.any, whose weakly held
  // composite signals cost the collector more CPU per request than the rest of this function.
  const deadline = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort();
  }, options.timeoutMs);
  const outer = options.signal;
  const onAbort = (): void => deadline.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  try {
    return await attempt({ tryNumber, signal: deadline.signal, timedOut: () => timedOut });
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
