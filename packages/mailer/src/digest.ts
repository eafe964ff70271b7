/*
 * The weekly digest for the IT team: one German mail (HTML and plain text) summing up the week of
 * every node. Shipped template only: the Python version had no digest, so DIR.RESOURCES has none.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { MailComposeError } from './errors.js';
import { htmlToText } from './html-to-text.js';
import type { MailMessage } from './message.js';
import { splitRecipients } from './recipients.js';

/** What the digest shows, already in the words and date forms of the mail (DD.MM.YYYY). */
export interface DigestValues {
  /** The week, e.g. `03.03.2025 – 10.03.2025`. */
  period: string;
  /** Nodes per status now, e.g. `{ status: 'ONLINE', count: 12 }`. */
  counts: readonly { status: string; count: number }[];
  /** Every node not ONLINE now and since when it has its status. */
  notOnline: readonly { node: string; status: string; since: string }[];
  /** Each node whose status changed in the week, with its changes in order. */
  changes: readonly { node: string; changes: readonly { day: string; from: string; to: string }[] }[];
  /** The mails of the week from the sent-mail logs, oldest first. */
  mails: readonly { day: string; node: string; status: string }[];
  /** Silences active, started or ended in the week. */
  silences: readonly { node: string; window: string; reason: string; author: string; state: string }[];
  /** Nodes on a DWH older than AKTIN.DWH_VERSION. */
  outdated: readonly { node: string; version: string }[];
  /** AKTIN.DWH_VERSION. */
  currentVersion: string;
}

export interface DigestMail extends MailMessage {
  kind: 'digest';
}

export interface ComposeDigestOptions {
  /** SMTP.USERNAME. */
  from: string;
  /** SMTP.DIGEST_RECIPIENTS (or STATIC_RECIPIENTS); at least one address. */
  to: readonly string[];
  /** The Date header, the run's clock. */
  date?: Date;
}

const TEMPLATE = fileURLToPath(new URL('../templates/digest.hbs', import.meta.url));

/** `Automatische Information: AKTIN Wochenbericht 03.03.2025 – 10.03.2025`. */
export function digestSubject(period: string): string {
  return `Automatische Information: AKTIN Wochenbericht ${period}`;
}

/**
 * Builds the digest mail. Throws MailComposeError for no recipient or a malformed address.
 * Reads its template synchronously: call it once per run.
 */
export function composeDigestMail(values: DigestValues, options: ComposeDigestOptions): DigestMail {
  const { to } = splitRecipients(options.to, []);
  if (to.length === 0) throw new MailComposeError('the digest mail has no recipient');
  const html = Handlebars.create().compile(readFileSync(TEMPLATE, 'utf8'), { strict: true })(values);
  return {
    kind: 'digest',
    from: options.from,
    to,
    cc: [],
    subject: digestSubject(values.period),
    html,
    text: htmlToText(html),
    ...(options.date === undefined ? {} : { date: options.date }),
  };
}
