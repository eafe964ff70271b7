import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimiter } from '../src/limiter.js';
import { type Attempt, backoffDelayMs, type RetryOptions, withRetries } from '../src/retry.js';

/** What the test server does with the next requests, in order; then it answers 200 "ok". */
let script: Array<'fail' | 'stall' | 'cut'> = [];
let received = 0;
let inFlight = 0;
let peakInFlight = 0;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    received++;
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    response.on('close', () => inFlight--);
    const step = script.shift();
    if (step === 'fail') response.writeHead(503).end('busy');
    else if (step === 'stall') response.writeHead(200, { 'content-length': '10' }).write('half');
    else if (step === 'cut') response.writeHead(200, { 'content-length': '10' }).end('half');
    else if (request.url === '/slow') setTimeout(() => response.end('ok'), 40);
    else response.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

class StatusError extends Error {}

/** One GET whose body is read inside the attempt, as the clients do. */
async function get(path: string, { signal, timedOut }: Attempt): Promise<string> {
  try {
    const response = await fetch(`${url}${path}`, { signal });
    const text = await response.text();
    if (!response.ok) throw new StatusError(`HTTP ${response.status}`);
    return text;
  } catch (error) {
    if (timedOut()) throw new Error('timed out');
    throw error;
  }
}

function options(change: Partial<RetryOptions> = {}): RetryOptions {
  return {
    tries: 3,
    retryDelayMs: 5,
    timeoutMs: 1000,
    limiter: createLimiter(4),
    isTransient: () => true,
    ...change,
  };
}

describe('withRetries', () => {
  it('tries a transient failure again, at most `tries` times in all', async () => {
    script = ['fail', 'fail'];
    received = 0;
    const retries: number[] = [];
    const text = await withRetries(
      options({ onRetry: (_error, { tryNumber }) => retries.push(tryNumber) }),
      (attempt) => get('/', attempt),
    );
    expect({ text, received, retries }).toEqual({ text: 'ok', received: 3, retries: [1, 2] });

    script = ['fail', 'fail', 'fail'];
    received = 0;
    await expect(withRetries(options(), (attempt) => get('/', attempt))).rejects.toThrow('HTTP 503');
    expect(received).toBe(3);
  });

  it('throws a failure that is not transient at once', async () => {
    script = ['fail'];
    received = 0;
    const failure = withRetries(options({ isTransient: (error) => !(error instanceof StatusError) }), (a) =>
      get('/', a),
    );
    await expect(failure).rejects.toThrow('HTTP 503');
    expect(received).toBe(1);
  });

  it('gives each attempt its own deadline, which covers reading the body', async () => {
    script = ['stall', 'cut'];
    received = 0;
    const tries: number[] = [];
    const text = await withRetries(
      options({ timeoutMs: 100, onRetry: (_error, { tryNumber }) => tries.push(tryNumber) }),
      (attempt) => get('/', attempt),
    );
    // The stalled body timed out, the cut one failed, the third attempt had a fresh 100 ms.
    expect({ text, received, tries }).toEqual({ text: 'ok', received: 3, tries: [1, 2] });

    script = [];
    const timedOut = await withRetries(options({ timeoutMs: 10, tries: 2 }), (a) => get('/slow', a)).catch(
      (error: unknown) => error,
    );
    expect(timedOut).toEqual(new Error('timed out'));
  });

  it('takes the wait the server asked for instead of the backoff', async () => {
    script = ['fail'];
    const delays: number[] = [];
    await withRetries(
      options({ serverDelayMs: () => 7, onRetry: (_error, { delayMs }) => delays.push(delayMs) }),
      (attempt) => get('/', attempt),
    );
    expect(delays).toEqual([7]);
  });

  it('holds no slot of the limiter while it waits out the backoff', async () => {
    const limiter = createLimiter(1);
    script = ['fail'];
    let otherDone = false;
    const retried = withRetries(
      options({
        limiter,
        retryDelayMs: 200,
        onRetry: () => {
          void withRetries(options({ limiter }), (a) => get('/', a)).then(() => (otherDone = true));
        },
      }),
      async (attempt) => {
        const text = await get('/', attempt);
        // The second request got through during this one's pause.
        expect(otherDone).toBe(true);
        return text;
      },
    );
    expect(await retried).toBe('ok');
  });

  it('keeps at most the limiter size of attempts in flight', async () => {
    script = [];
    peakInFlight = 0;
    const limiter = createLimiter(2);
    await Promise.all(
      Array.from({ length: 6 }, () => withRetries(options({ limiter }), (a) => get('/slow', a))),
    );
    expect(peakInFlight).toBe(2);
  });

  it('ends the pause when the request is aborted', async () => {
    script = ['fail'];
    const abort = new AbortController();
    const started = performance.now();
    const failure = withRetries(
      options({ retryDelayMs: 10_000, signal: abort.signal, onRetry: () => abort.abort(new Error('stop')) }),
      (a) => get('/', a),
    );
    await expect(failure).rejects.toThrow('stop');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('backoffDelayMs', () => {
  it('doubles per try, between half and all of the step', () => {
    expect([1, 2, 3].map((tryNumber) => backoffDelayMs(500, tryNumber, () => 0))).toEqual([250, 500, 1000]);
    expect([1, 2, 3].map((tryNumber) => backoffDelayMs(500, tryNumber, () => 1))).toEqual([500, 1000, 2000]);
    for (let i = 0; i < 1000; i++) {
      const delay = backoffDelayMs(500, 2);
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });
});
