/*
 * `email-service <config.toml> --digest`: one mail to the IT team about the 7 days ending at the
 * run's clock, from the store alone. It only reads: no lock, no tracking file, no sent-mail log.
 */
import type { AppContext, ExitCode } from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError, loadNodeMapping, type MappedNode } from '@broker-monitor/config';
import { openStore, type SentMailEntry, type Store } from '@broker-monitor/csv-store';
import { composeDigestMail, type DigestValues, MailComposeError } from '@broker-monitor/mailer';
import { isActive, type Silence } from '@broker-monitor/silences';
import {
  berlinDateTime,
  type DayStatus,
  NODE_STATUS_TITLES,
  type NodeStatusTitle,
} from '@broker-monitor/status-rules';
import { openDelivery } from './delivery.js';
import type { SentMail } from './metrics.js';
import { type NodeFacts, readNodeFacts } from './node-facts.js';
import { compactTime } from './notify-node.js';
import { readSilences } from './silence-command.js';

const DAY_MS = 86_400_000;
/** The digest's week. */
export const DIGEST_DAYS = 7;
/** What the counts call a mapped node without a folder or stats row. */
const NO_DATA = 'keine Daten';

/** What the digest knows of one mapped node. */
export interface NodeWeek {
  node: MappedNode;
  /** Undefined: the node has no folder or no stats row yet. */
  facts: NodeFacts | undefined;
  /** Its sent-mail log. */
  mails: readonly SentMailEntry[];
}

export async function sendDigest(
  config: AppConfig<'email-service'>,
  mode: 'send' | 'outbox' | 'dry-run',
  context: AppContext,
  now: () => Date,
  sent: SentMail[],
): Promise<ExitCode> {
  const recipients = config.smtp.digestRecipients ?? config.smtp.staticRecipients;
  if (recipients.length === 0) {
    throw new ConfigError(config.file, [
      { path: 'SMTP.DIGEST_RECIPIENTS', message: 'missing (the digest needs it or SMTP.STATIC_RECIPIENTS)' },
    ]);
  }
  const runTime = now();
  const mapping = await loadNodeMapping(config.confluence.mappingJson);
  for (const warning of mapping.warnings) context.logger.warn(warning);
  const store = openStore(config.dir.working);
  const silences = await readSilences(store);
  const weeks: NodeWeek[] = [];
  const unread: string[] = [];
  for (const node of mapping.nodes) {
    try {
      weeks.push(await readNodeWeek(store, node, runTime, config.aktin.dwhVersion));
    } catch (error) {
      // A broken file leaves that node out of the digest; the others are still worth the mail.
      unread.push(`${node.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const values = digestValues(weeks, silences, runTime, config.aktin.dwhVersion);
  let mail: ReturnType<typeof composeDigestMail>;
  try {
    mail = composeDigestMail(values, { from: config.smtp.username, to: recipients, date: runTime });
  } catch (error) {
    if (!(error instanceof MailComposeError)) throw error;
    const key =
      config.smtp.digestRecipients === undefined ? 'SMTP.STATIC_RECIPIENTS' : 'SMTP.DIGEST_RECIPIENTS';
    throw new ConfigError(config.file, [{ path: key, message: error.message }]);
  }
  const outcomes = context.runOutcomes('digest', () => now().getTime());
  const delivery = await openDelivery(config, mode, context);
  let mails = 0;
  try {
    const result = await delivery.deliver(mail, `digest_${compactTime(runTime)}`);
    if (result.delivered) {
      mails = 1;
      // No node: in Prometheus an empty label is no label, so the digest counts as {kind="digest"}.
      sent.push({ nodeId: '', commonName: '', kind: 'digest' });
    }
    const fields = {
      to: mail.to,
      ...(result.detail === undefined ? {} : { detail: result.detail }),
      ...(unread.length > 0 ? { unreadNodes: unread } : {}),
      ...(mode === 'send' ? {} : { mode }),
    };
    if (unread.length > 0) outcomes.warning('weekly', `nodes left out: ${unread.join('; ')}`, fields);
    else outcomes.ok('weekly', fields);
  } catch (error) {
    outcomes.failed('weekly', error, { to: mail.to });
  } finally {
    delivery.close();
  }
  if (mode === 'dry-run') {
    context.print('dry run: 1 mail(s) would be sent; nothing was sent and no file was changed');
  }
  return outcomes.finish({ mode, mails, digest: true });
}

/** Reads one node's facts and sent mails. Throws for a broken file (the node is left out). */
async function readNodeWeek(
  store: Store,
  node: MappedNode,
  now: Date,
  dwhVersion: string,
): Promise<NodeWeek> {
  const facts = await readNodeFacts(store, node, now, dwhVersion);
  if (typeof facts === 'string') return { node, facts: undefined, mails: [] };
  return { node, facts, mails: await store.readSentMails(node.id) };
}

/** The node's status at the end of each of the last 365 days, oldest first: the judgement's, as the page's availability. */
const dayStatusesOf = ({ facts }: NodeWeek): readonly DayStatus[] => facts?.judged.dayStatuses ?? [];

/** The digest's sections for the week ending at `now`. Pure: everything it shows is passed in. */
export function digestValues(
  weeks: readonly NodeWeek[],
  silences: readonly Silence[],
  now: Date,
  dwhVersion: string,
): DigestValues {
  const weekStart = now.getTime() - DIGEST_DAYS * DAY_MS;
  const names = new Map(weeks.map(({ node }) => [node.id, node.commonName]));
  const counts = new Map<string, number>();
  for (const { facts } of weeks) {
    const status = facts?.judged.status.title ?? NO_DATA;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return {
    period: `${germanDay(new Date(weekStart))} – ${germanDay(now)}`,
    counts: [...NODE_STATUS_TITLES, NO_DATA].flatMap((status) => {
      const count = counts.get(status);
      return count === undefined ? [] : [{ status, count }];
    }),
    notOnline: weeks.flatMap((week) => {
      const status = week.facts?.judged.status.title;
      if (status === undefined || status === 'ONLINE') return [];
      return [
        {
          node: week.node.commonName,
          status,
          since: germanDayOf(sinceDay(dayStatusesOf(week), status, now)),
        },
      ];
    }),
    changes: weeks.flatMap((week) => {
      const changes = statusChanges(dayStatusesOf(week).slice(-(DIGEST_DAYS + 1)));
      return changes.length === 0 ? [] : [{ node: week.node.commonName, changes }];
    }),
    mails: weeks
      .flatMap(({ node, mails }) =>
        mails
          .filter(({ time }) => time.getTime() > weekStart && time.getTime() <= now.getTime())
          .map((mail) => ({ time: mail.time, node: node.commonName, status: mail.status })),
      )
      .sort((a, b) => a.time.getTime() - b.time.getTime())
      .map(({ time, node, status }) => ({ day: germanDay(time), node, status })),
    silences: silences.flatMap((silence) => {
      const state = silenceState(silence, weekStart, now);
      if (state === undefined) return [];
      return [
        {
          node: names.get(silence.node) ?? `Knoten ${silence.node}`,
          window: `${germanDay(new Date(silence.from))} – ${germanDay(new Date(Date.parse(silence.until) - 1))}`,
          reason: silence.reason,
          author: silence.author,
          state,
        },
      ];
    }),
    outdated: weeks.flatMap(({ node, facts }) =>
      facts?.dwh.outdated === true ? [{ node: node.commonName, version: facts.dwhText }] : [],
    ),
    currentVersion: dwhVersion,
  };
}

/** The changes between consecutive judged days (a day that could not be judged is skipped). */
function statusChanges(statuses: readonly DayStatus[]): { day: string; from: string; to: string }[] {
  const changes: { day: string; from: string; to: string }[] = [];
  let previous: NodeStatusTitle | undefined;
  statuses.forEach(({ day, status }, index) => {
    if (status === undefined) return;
    // The first day is the week's baseline: a change is one seen within the 7 days.
    if (index > 0 && previous !== undefined && status !== previous) {
      changes.push({ day: germanDayOf(day), from: previous, to: status });
    }
    previous = status;
  });
  return changes;
}

/** The first day of the trailing run of days with `status`; today when the days do not end in it. */
function sinceDay(statuses: readonly DayStatus[], status: NodeStatusTitle, now: Date): string {
  let since = now.toISOString().slice(0, 10);
  for (let index = statuses.length - 1; index >= 0; index--) {
    const day = statuses[index] as DayStatus;
    if (day.status !== status) break;
    since = day.day;
  }
  return since;
}

/** How a silence touched the week, or undefined when it did not (upcoming, or over before it). */
function silenceState(silence: Silence, weekStart: number, now: Date): string | undefined {
  const from = Date.parse(silence.from);
  const end = Math.min(Date.parse(silence.until), silence.expired ? Date.parse(silence.expired) : Infinity);
  if (isActive(silence, now)) {
    return from > weekStart ? `aktiv, begonnen am ${germanDay(new Date(from))}` : 'aktiv';
  }
  if (from > now.getTime() || end <= weekStart) return undefined;
  return `${silence.expired ? 'vorzeitig beendet' : 'beendet'} am ${germanDay(new Date(end))}`;
}

/** The Europe/Berlin day of an instant as DD.MM.YYYY. */
function germanDay(time: Date): string {
  return germanDayOf(berlinDateTime(time.toISOString()).slice(0, 10));
}

/** `2025-03-07` → `07.03.2025`. */
function germanDayOf(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}.${month}.${year}`;
}
