/*
 * The rules of the resource snapshots (`<id>_<resource>.txt`) and their change logs.
 */
import { compareCodePoints, formatRunTime } from './python-format.js';
import type { ResourceEntries } from './types.js';

/**
 * A resource's entries as the original stores them: `null` (404) → no entries, an empty
 * value → `-`, `\n` removed from values (`\r` kept); a repeated key keeps its first place
 * and its last value (Python dict).
 */
export function normalizeResourceEntries(entries: ResourceEntries | null): ResourceEntries {
  const normalized = new Map<string, string>();
  for (const [key, value] of entries ?? []) {
    normalized.set(key, value === '' ? '-' : value.replaceAll('\n', ''));
  }
  return [...normalized];
}

const byKey = (a: string, b: string): number => compareCodePoints(a, b);

/**
 * The change-log lines (without line ends) for a resource going from `previous` to `current`:
 * first `<time> : [<key>] <old> --> <new>` for every entry that is new (old = `NEW`) or
 * changed, then `<time> : [<key>] <old> --> DELETED` for every key that is gone. `<time>` is
 * taken from the clock per line. **[new]** Each group is sorted by key (the original's order
 * is arbitrary). No lines when there was no previous snapshot (`undefined`).
 */
export function resourceChangeLines(
  previous: ResourceEntries | undefined,
  current: ResourceEntries,
  now: () => Date,
): string[] {
  if (previous === undefined) return [];
  const before = new Map(previous);
  const after = new Map(current);
  const lines: string[] = [];
  for (const key of [...after.keys()].sort(byKey)) {
    const value = after.get(key);
    const old = before.get(key);
    if (old !== value) lines.push(`${formatRunTime(now())} : [${key}] ${old ?? 'NEW'} --> ${value}`);
  }
  for (const key of [...before.keys()].sort(byKey)) {
    if (!after.has(key)) lines.push(`${formatRunTime(now())} : [${key}] ${before.get(key)} --> DELETED`);
  }
  return lines;
}
