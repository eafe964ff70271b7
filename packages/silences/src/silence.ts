/*
 * Maintenance windows (silences, as Alertmanager calls them): while one is active, a node gets no
 * mail of its kinds and its tracking entries stay as they are, so the mail goes out on the first
 * run after the window as if it had never been.
 */
import { berlinDateTime, berlinDayStart } from '@broker-monitor/status-rules';

/** The kinds of mail a silence can hold back. */
export const SILENCE_KINDS = ['OFFLINE', 'NO IMPORTS', 'DWH OUTDATED', 'ANOMALY'] as const;
export type SilenceKind = (typeof SILENCE_KINDS)[number];

export interface Silence {
  /** `s` and 8 hex digits, e.g. `s3f9a01bc`. */
  readonly id: string;
  readonly node: string;
  /** ISO instants: active from `from` (inclusive) to `until` (exclusive). */
  readonly from: string;
  readonly until: string;
  readonly kinds: readonly SilenceKind[];
  readonly reason: string;
  /** Login name of whoever added it. */
  readonly author: string;
  readonly created: string;
  /** Set when it was ended early (`silence expire`). */
  readonly expired?: string;
}

/** A flag of `silence add` that cannot be used: the message names it (exit 2). */
export class SilenceInputError extends Error {
  override readonly name = 'SilenceInputError';
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`${flag}: ${message}`);
  }
}

export interface SilenceRequest {
  node: string | undefined;
  from: string | undefined;
  until: string | undefined;
  /** `OFFLINE,NO_IMPORTS` or `NO IMPORTS`; undefined: every kind. */
  status: string | undefined;
  reason: string | undefined;
}

export interface SilenceContext {
  now: Date;
  /** The node ids of the mapping. */
  nodes: ReadonlySet<string>;
  author: string;
  /** The new silence's id (random in the app, fixed in tests). */
  id: string;
}

/**
 * A new silence from the flags of `silence add`. Days (`2026-12-24`) are Europe/Berlin days, the
 * end day included; ISO date-times need an offset (`2026-12-24T18:00:00+01:00`). Without `--from`
 * the window starts now.
 * @throws SilenceInputError naming the flag: node not in the mapping, unknown status, missing
 *   reason or end, an end before the start or in the past.
 */
export function newSilence(request: SilenceRequest, context: SilenceContext): Silence {
  const node = request.node?.trim() ?? '';
  if (node === '') throw new SilenceInputError('--node', 'the node id is needed');
  if (!context.nodes.has(node)) throw new SilenceInputError('--node', `node ${node} is not in the mapping`);
  if (request.until === undefined || request.until.trim() === '') {
    throw new SilenceInputError('--until', 'the end of the window is needed (a day or an ISO date-time)');
  }
  const reason = request.reason?.trim() ?? '';
  if (reason === '') throw new SilenceInputError('--reason', 'say why (e.g. "DWH-Migration")');
  const from = request.from === undefined ? context.now : instantOf('--from', request.from, 'start');
  const until = instantOf('--until', request.until, 'end');
  if (until <= context.now) throw new SilenceInputError('--until', `${request.until} is already past`);
  if (until <= from) throw new SilenceInputError('--until', `${request.until} is not after the start`);
  return {
    id: context.id,
    node,
    from: from.toISOString(),
    until: until.toISOString(),
    kinds: kindsOf(request.status),
    reason,
    author: context.author,
    created: context.now.toISOString(),
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A day's start (or, as an end, the next day's start: the day is included) or an ISO date-time. */
function instantOf(flag: string, text: string, side: 'start' | 'end'): Date {
  const value = text.trim();
  if (DAY.test(value)) {
    const noon = Date.parse(`${value}T12:00:00Z`);
    if (Number.isNaN(noon) || new Date(noon).toISOString().slice(0, 10) !== value) {
      throw new SilenceInputError(flag, `${text} is no day`);
    }
    if (side === 'start') return berlinDayStart(value);
    return berlinDayStart(new Date(noon + 86_400_000).toISOString().slice(0, 10));
  }
  const instant = DATE_TIME.test(value) ? new Date(value) : undefined;
  if (instant === undefined || Number.isNaN(instant.getTime())) {
    throw new SilenceInputError(
      flag,
      `${text} is neither a day (2026-12-24) nor an ISO date-time with offset`,
    );
  }
  return instant;
}

function kindsOf(text: string | undefined): SilenceKind[] {
  if (text === undefined || text.trim() === '') return [...SILENCE_KINDS];
  const kinds: SilenceKind[] = [];
  for (const part of text.split(',')) {
    const name = part.trim().replaceAll('_', ' ').toUpperCase();
    const kind = SILENCE_KINDS.find((known) => known === name);
    if (kind === undefined) {
      throw new SilenceInputError(
        '--status',
        `unknown status "${part.trim()}" (known: ${SILENCE_KINDS.map((k) => k.replaceAll(' ', '_')).join(', ')})`,
      );
    }
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

/** Whether a silence holds back mail at `now` (it may still be upcoming or over). */
export function isActive(silence: Silence, now: Date): boolean {
  const at = now.getTime();
  const end = Math.min(Date.parse(silence.until), silence.expired ? Date.parse(silence.expired) : Infinity);
  return Date.parse(silence.from) <= at && at < end;
}

/**
 * The active silence that holds back mail of `kind` to `node`, if any (the one ending last);
 * without a kind, the node's active window of any kind (the pages' note).
 */
export function silenceFor(
  silences: readonly Silence[],
  node: string,
  kind: SilenceKind | undefined,
  now: Date,
): Silence | undefined {
  let found: Silence | undefined;
  for (const silence of silences) {
    if (silence.node !== node || !isActive(silence, now)) continue;
    if (kind !== undefined && !silence.kinds.includes(kind)) continue;
    if (found === undefined || silence.until > found.until) found = silence;
  }
  return found;
}

/** Days a silence stays in `silence list --all` after it ended. */
export const LISTED_DAYS_AFTER_END = 90;

/** `silence list`: active and upcoming, oldest start first; `all` adds those ended in the last 90 days. */
export function listedSilences(silences: readonly Silence[], now: Date, all = false): Silence[] {
  const at = now.getTime();
  return silences
    .filter((silence) => {
      const end = endOf(silence);
      return end > at || (all && end > at - LISTED_DAYS_AFTER_END * 86_400_000);
    })
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

function endOf(silence: Silence): number {
  return Math.min(Date.parse(silence.until), silence.expired ? Date.parse(silence.expired) : Infinity);
}

/** The silences with `id` ended now. @throws SilenceInputError when there is no such silence or it is over. */
export function expireSilence(silences: readonly Silence[], id: string, now: Date): Silence[] {
  const target = silences.find((silence) => silence.id === id);
  if (target === undefined) throw new SilenceInputError('expire', `no silence ${id}`);
  if (endOf(target) <= now.getTime()) throw new SilenceInputError('expire', `silence ${id} is already over`);
  return silences.map((silence) =>
    silence.id === id ? { ...silence, expired: now.toISOString() } : silence,
  );
}

/**
 * What the pages show next to the status while a window is active, e.g.
 * `Wartung bis 24.12.2026: DWH-Migration` (the last Berlin day it covers).
 */
export function maintenanceNote(silence: Silence): string {
  const lastMoment = new Date(Date.parse(silence.until) - 1).toISOString();
  const [day = ''] = berlinDateTime(lastMoment).split(' ');
  const [year, month, date] = day.split('-');
  return `Wartung bis ${date}.${month}.${year}: ${silence.reason}`;
}
