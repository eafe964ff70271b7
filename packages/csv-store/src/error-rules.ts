/*
 * The rules of the errors CSV: the broker keeps a node's last 20 import errors; the store keeps
 * every error of the current UTC year it has ever seen.
 */
import { compareCodePoints } from './python-format.js';
import { instantOfTimestamp } from './timestamp.js';
import type { BrokerImportError, ErrorRow } from './types.js';

/**
 * The error rows of the run time's UTC year after merging the broker's errors in:
 * - only errors whose timestamp, converted to UTC, lies in that year are considered
 *   (unparsable timestamps are skipped);
 * - an error is identified by its exact content; repeats absent → `1`;
 * - a known error whose repeats text changed is removed and added again with the new
 *   timestamp and repeats; a changed timestamp alone is ignored;
 * - rows are never removed otherwise, so errors that left the broker's list stay;
 * - all rows sorted by the timestamp text, descending (plain string order, stable).
 * **[new]** No error is ever lost (the original drops rows through a pandas index clash),
 * and texts such as `NA`, `null`, `None` are kept verbatim (pandas reads them back as empty
 * and the original adds them again on every run).
 */
export function upsertErrors(
  rows: readonly ErrorRow[],
  errors: readonly BrokerImportError[],
  now: Date,
): ErrorRow[] {
  const year = now.getUTCFullYear();
  let merged = [...rows];
  for (const error of errors) {
    const time = instantOfTimestamp(error.timestamp);
    if (!time || time.getUTCFullYear() !== year) continue;
    const row: ErrorRow = {
      timestamp: error.timestamp,
      repeats: error.repeats ?? '1',
      content: error.content,
    };
    const known = merged.filter((existing) => existing.content === row.content);
    if (known.length === 0) {
      merged.push(row);
    } else if (known.every((existing) => existing.repeats !== row.repeats)) {
      merged = merged.filter((existing) => existing.content !== row.content);
      merged.push(row);
    }
  }
  // Array.prototype.sort is stable: rows with equal timestamps keep their order, as in pandas.
  return merged.sort((a, b) => compareCodePoints(b.timestamp, a.timestamp));
}
