import { expect, it } from 'vitest';
import { forEachConcurrent } from '../src/index.js';

it('runs every item with at most `limit` at once', async () => {
  let running = 0;
  let peak = 0;
  const seen: number[] = [];
  await forEachConcurrent([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen.push(item);
    running--;
  });
  expect(peak).toBe(3);
  expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
});

it('resolves at once for no items', async () => {
  await expect(forEachConcurrent([], 4, async () => undefined)).resolves.toBeUndefined();
});
