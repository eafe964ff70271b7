import type { ImportStatistics } from '../src/types.js';

/** A node's import statistics as the broker reports them on a quiet day; tests override what they look at. */
export const importStatistics = (overrides: Partial<ImportStatistics> = {}): ImportStatistics => ({
  start: '2025-03-01T08:00:00+01:00',
  lastWrite: null,
  lastReject: null,
  imported: '10',
  updated: '0',
  invalid: '0',
  failed: '0',
  errors: [],
  ...overrides,
});
