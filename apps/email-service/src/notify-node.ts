/*
 * One node's turn: for OFFLINE, NO IMPORTS and DWH OUTDATED in this order (then ANOMALY, when
 * SMTP.ANOMALY_MAILS is on), mail when the status holds and the interval has passed, forget the
 * node when it no longer holds. The tracking entry and the log line are written only after the
 * mail was delivered (at-least-once, SPEC §4).
 */
import type { AktinSettings, MappedNode, SmtpSettings } from '@broker-monitor/config';
import { type Contact, mailRecipients, noRecipientReason } from '@broker-monitor/contacts';
import type { Store, TrackingFile } from '@broker-monitor/csv-store';
import { composeAlertMail, type MailTemplates } from '@broker-monitor/mailer';
import { type Silence, silenceFor } from '@broker-monitor/silences';
import { notificationAction } from '@broker-monitor/status-rules';
import type { MailDelivery } from './delivery.js';
import {
  alertMail,
  type NodeFacts,
  type PlannedMail,
  readNodeFacts,
  recoveryMail,
  statusHolds,
} from './node-facts.js';

/** The statuses the e-mail service mails about, in the original's order; ANOMALY (new) last. */
export const NOTIFIED_STATUSES = ['OFFLINE', 'NO IMPORTS', 'DWH OUTDATED', 'ANOMALY'] as const;
export type NotifiedStatus = (typeof NOTIFIED_STATUSES)[number];

/**
 * The statuses a run mails about: ANOMALY only with SMTP.ANOMALY_MAILS, so that without it not
 * even its tracking file appears.
 */
export function notifiedStatuses(smtp: Pick<SmtpSettings, 'anomalyMails'>): readonly NotifiedStatus[] {
  return smtp.anomalyMails ? NOTIFIED_STATUSES : NOTIFIED_STATUSES.filter((status) => status !== 'ANOMALY');
}

export interface NotifyContext {
  store: Store;
  aktin: AktinSettings;
  smtp: SmtpSettings;
  contacts: readonly Contact[];
  /** Where the contacts came from, named in the no-recipient warning. */
  contactsSource: string;
  templates: MailTemplates;
  /**
   * Per status this run mails about (in that order) its tracking file, or why it cannot be read
   * (then that status fails for every node).
   */
  trackers: ReadonlyMap<NotifiedStatus, TrackingFile | Error>;
  /** Maintenance windows: an active one holds back its kinds of mail, tracking left as it is. */
  silences: readonly Silence[];
  delivery: MailDelivery;
  now: () => Date;
}

/** One mail of a node, for its log line. */
export interface MailRecord {
  status: string;
  to: string[];
  cc: string[];
  /** The server's reply or the .eml path. */
  detail?: string;
}

export interface NodeMailOutcome {
  /** Set when the node could not be evaluated at all: no folder, or no stats row yet. */
  absent?: 'no-folder' | 'no-stats';
  status?: string;
  /** Mails delivered (or, in a dry run, printed). */
  mails: MailRecord[];
  /** Statuses whose tracking entry was removed (or would be, in a dry run). */
  cleared: NotifiedStatus[];
  /** Mails (alert or recovery) a silence held back. */
  suppressed: SuppressedMail[];
  warnings: string[];
  failures: Error[];
}

/** A mail a silence held back, for the log line and the dry run. */
export interface SuppressedMail {
  status: NotifiedStatus;
  silence: string;
  reason: string;
  until: string;
}

export async function notifyNode(node: MappedNode, context: NotifyContext): Promise<NodeMailOutcome> {
  const report: NodeMailOutcome = { mails: [], cleared: [], suppressed: [], warnings: [], failures: [] };
  const runTime = context.now();
  let facts: NodeFacts | 'no-folder' | 'no-stats';
  try {
    facts = await readNodeFacts(context.store, node, runTime, context.aktin.dwhVersion);
  } catch (error) {
    report.failures.push(asError(error));
    return report;
  }
  if (typeof facts === 'string') {
    report.absent = facts;
    return report;
  }
  report.status = facts.judged.status.title;
  if (facts.dwh.kind === 'invalid') report.warnings.push(facts.dwh.warning);
  for (const [status, tracker] of context.trackers) {
    // NOTIFY of the mapping switches a kind of mail off for this node; its tracking stays as it is.
    if (!node.notify.includes(status)) continue;
    try {
      await handleStatus(facts, status, tracker, runTime, context, report);
    } catch (error) {
      report.failures.push(asError(error));
    }
  }
  return report;
}

async function handleStatus(
  facts: NodeFacts,
  status: NotifiedStatus,
  tracker: TrackingFile | Error,
  runTime: Date,
  context: NotifyContext,
  report: NodeMailOutcome,
): Promise<void> {
  if (tracker instanceof Error) throw tracker;
  const holds = statusHolds(facts, status);
  if (holds === undefined) return;
  const { id } = facts.node;
  const action = notificationAction(
    holds,
    tracker.lastSent(id),
    runTime,
    facts.node.weeksNotificationInterval,
  );
  if (action === 'send' || action === 'clear') {
    // Alertmanager's semantics: nothing changes while silenced, so after the window the mail goes
    // out (or the recovery is noticed) as if the silence had never been.
    const silence = silenceFor(context.silences, id, status, runTime);
    if (silence !== undefined) {
      report.suppressed.push({ status, silence: silence.id, reason: silence.reason, until: silence.until });
      context.delivery.note(
        `${id} ${action === 'send' ? status : `${status} RECOVERED`}: suppressed (silence ${silence.id}: ${silence.reason}, until ${silence.until})`,
      );
      return;
    }
  }

  if (action === 'send') {
    const planned = alertMail(facts, status, context.aktin, runTime);
    if ('skipped' in planned) {
      report.warnings.push(planned.skipped);
      return;
    }
    await context.store.checkSentMailLog(id);
    if (await deliver(planned, status, facts.node, runTime, context, report)) {
      // Log first, then the tracking: a crash in between repeats the mail (and its line) next run, never loses one.
      const sentAt = context.now();
      await context.store.logSentMail(id, status, sentAt);
      await tracker.record(id, sentAt);
    }
    return;
  }

  if (action === 'clear') {
    const planned = context.smtp.recoveryMails ? recoveryMail(facts, status) : undefined;
    const label = `${status} RECOVERED`;
    if (planned !== undefined) await context.store.checkSentMailLog(id);
    if (planned !== undefined && (await deliver(planned, label, facts.node, runTime, context, report))) {
      await context.store.logSentMail(id, label, context.now());
    }
    report.cleared.push(status);
    if (context.delivery.mode !== 'dry-run') await tracker.remove(id);
  }
}

/**
 * Composes and delivers one mail to the node's recipients with STATIC_RECIPIENTS in Cc.
 * Returns true when it was delivered (server accepted it, or written to the outbox); false when
 * there is no recipient (a warning) or in a dry run. Throws MailError when sending failed.
 */
async function deliver(
  planned: PlannedMail,
  label: string,
  node: MappedNode,
  runTime: Date,
  context: NotifyContext,
  report: NodeMailOutcome,
): Promise<boolean> {
  const recipients = mailRecipients(context.contacts, node.id);
  if (recipients.length === 0) {
    const why = noRecipientReason(context.contacts, node.id);
    report.warnings.push(`no recipients in ${context.contactsSource} (${why}): ${label} mail not sent`);
    return false;
  }
  const mail = composeAlertMail(planned.kind, planned.values, {
    from: context.smtp.username,
    to: recipients,
    // EXTRA_RECIPIENTS of the mapping: this node's own additions to STATIC_RECIPIENTS, in Cc too.
    staticRecipients: [...context.smtp.staticRecipients, ...node.extraRecipients],
    templates: context.templates,
    date: runTime,
  });
  const name = `${node.id}_${label.replaceAll(' ', '_')}_${compactTime(runTime)}`;
  const result = await context.delivery.deliver(mail, name);
  report.mails.push({
    status: label,
    to: mail.to,
    cc: mail.cc,
    ...(result.detail === undefined ? {} : { detail: result.detail }),
  });
  if (result.rejected !== undefined && result.rejected.length > 0) {
    report.warnings.push(`${label} mail: the server refused ${result.rejected.join(', ')}`);
  }
  return result.delivered;
}

/** `20250310T060000Z`: sortable and safe in file names. */
export function compactTime(time: Date): string {
  return time
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll('-', '')
    .replaceAll(':', '');
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
