import { expect } from 'vitest';

/** What the suite did, printed at the end: faults injected, app runs, nodes simulated, invariants checked. */
export const tally = { faults: 0, runs: 0, nodes: 0, invariants: 0 };

/** One invariant: counted, and the test fails with `what` when it does not hold. */
export function holds<T>(actual: T, expected: T, what: string): void {
  tally.invariants++;
  expect(actual, what).toEqual(expected);
}

/** One invariant given as a condition (for checks that have no expected value to show). */
export function holdsThat(condition: boolean, what: string): void {
  tally.invariants++;
  expect(condition, what).toBe(true);
}

/** Deterministic numbers in [0, 1) from a seed (mulberry32): the SIGKILL points are reproducible. */
export function seededRandom(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), t | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
