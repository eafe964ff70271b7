import { describe, expect, it } from 'vitest';
import { createLimiter } from '../src/limiter.js';

describe('createLimiter', () => {
  it('runs at most `concurrency` tasks at once, the rest in arrival order, and passes results and errors through', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limit(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        if (i === 3) throw new Error('task 3');
        return i * 10;
      }),
    );
    const settled = Promise.allSettled(tasks);
    // Free the slots one by one, as the tasks in them finish.
    while (started.length < 5 || release.length > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    const results = await settled;
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      10,
      20,
      'task 3',
      40,
    ]);
  });

  it('drops a waiting task whose signal aborts, and the slot goes to the next one', async () => {
    const limit = createLimiter(1);
    let releaseFirst = (): void => undefined;
    const first = limit(() => new Promise<string>((resolve) => (releaseFirst = () => resolve('first'))));
    const abort = new AbortController();
    let abortedRan = false;
    const aborted = limit(async () => {
      abortedRan = true;
    }, abort.signal);
    const third = limit(async () => 'third');
    abort.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    releaseFirst();
    expect([await first, await third]).toEqual(['first', 'third']);
    expect(abortedRan).toBe(false);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
