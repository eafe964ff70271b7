import type { StatsRow } from '@broker-monitor/csv-store';
import { berlinDateTime, germanDate, hoursBetween, isAbsent } from './dates.js';
import { lastKnownWrite } from './status.js';

export const DEFAULT_WEEKS_NOTIFICATION_INTERVAL = 1;
const HOURS_PER_WEEK = 168;

/**
 * The repeat interval of the original: no tracking entry → notify; else notify once
 * round(hours since the entry) / 168 > weeks, strictly (daily runs, 1 week → the 8th day).
 * `weeks` absent or 0 → 1, as the mapping's WEEKS_NOTIFICATION_INTERVAL.
 */
export function shouldNotify(lastSent: string | undefined, now: Date, weeks?: number): boolean {
  if (lastSent === undefined) return true;
  const interval = weeks || DEFAULT_WEEKS_NOTIFICATION_INTERVAL;
  return hoursBetween(lastSent, now) / HOURS_PER_WEEK > interval;
}

/**
 * What a notifier does for one node and status:
 * - `send`: the status holds and there is no entry or the interval has passed → mail, then set the entry to now;
 * - `wait`: the status holds, mailed within the interval → nothing;
 * - `clear`: the status no longer holds but an entry exists → remove it (the node recovered);
 * - `none`: the status does not hold and there is no entry.
 */
export type NotificationAction = 'send' | 'wait' | 'clear' | 'none';

export function notificationAction(
  statusHolds: boolean,
  lastSent: string | undefined,
  now: Date,
  weeks?: number,
): NotificationAction {
  if (!statusHolds) return lastSent === undefined ? 'none' : 'clear';
  return shouldNotify(lastSent, now, weeks) ? 'send' : 'wait';
}

/** The OFFLINE mail's `${last_contact}`: the last row's last_contact in Europe/Berlin as DD.MM.YYYY. */
export function offlineMailDate(lastRow: StatsRow): string | undefined {
  if (isAbsent(lastRow.last_contact)) return undefined;
  return germanDate(berlinDateTime(lastRow.last_contact));
}

/**
 * The NO IMPORTS mail's `${last_write}` as DD.MM.YYYY: the last row's last_write in
 * Europe/Berlin (as shown on the page), or if that is `-` the last recorded last_write of
 * the current year's CSV taken as written (its own offset, as the original); none → undefined.
 */
export function noImportsMailDate(currentYear: readonly StatsRow[]): string | undefined {
  const last = currentYear.at(-1);
  if (last !== undefined && !isAbsent(last.last_write)) return germanDate(berlinDateTime(last.last_write));
  const earlier = lastKnownWrite(currentYear);
  return earlier === undefined ? undefined : germanDate(earlier);
}
