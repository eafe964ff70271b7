import { MailComposeError } from './errors.js';
import { htmlToText } from './html-to-text.js';
import type { MailMessage } from './message.js';
import { splitRecipients } from './recipients.js';
import { type AlertKind, type AlertValues, loadMailTemplates, type MailTemplates } from './templates.js';

/** Subjects as the Python version sends them (recovery notices and the anomaly mail are new). */
export const ALERT_SUBJECTS: Readonly<Record<AlertKind, string>> = {
  offline: 'Automatische Information: AKTIN DWH Offline',
  'no-imports': 'Automatische Information: AKTIN DWH Keine Imports',
  outdated: 'Automatische Information: AKTIN DWH Version veraltet',
  'recovered-offline': 'Automatische Information: AKTIN DWH wieder erreichbar',
  'recovered-imports': 'Automatische Information: AKTIN DWH Imports wieder aufgenommen',
  anomaly: 'Automatische Information: AKTIN DWH Importe auffällig niedrig',
};

export interface AlertMail extends MailMessage {
  kind: AlertKind;
}

export interface ComposeAlertOptions {
  /** SMTP.USERNAME. */
  from: string;
  /** The node's recipients (from the contacts table); at least one address. */
  to: readonly string[];
  /** SMTP.STATIC_RECIPIENTS; those already in `to` are left out, empty entries ignored. */
  staticRecipients?: readonly string[];
  /** From loadMailTemplates(DIR.RESOURCES) once per run; default: the shipped templates. */
  templates?: MailTemplates;
  /** The Date header, e.g. the run's clock; default: when the mail is sent or written. */
  date?: Date;
}

/**
 * Builds one alert mail. Recipients are bare addresses, deduplicated ignoring case; entries may carry
 * display names or several addresses. Throws MailComposeError for no recipient, a malformed address
 * or a missing value.
 */
export function composeAlertMail<K extends AlertKind>(
  kind: K,
  values: AlertValues[K],
  options: ComposeAlertOptions,
): AlertMail {
  const { to, cc } = splitRecipients(options.to, options.staticRecipients ?? []);
  if (to.length === 0) {
    throw new MailComposeError(`the ${kind} mail has no recipient`);
  }
  const html = (options.templates ?? loadMailTemplates()).renderHtml(kind, values);
  return {
    kind,
    from: options.from,
    to,
    cc,
    subject: ALERT_SUBJECTS[kind],
    html,
    text: htmlToText(html),
    ...(options.date === undefined ? {} : { date: options.date }),
  };
}
