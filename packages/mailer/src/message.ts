import type { SendMailOptions } from 'nodemailer';

/** A mail ready to send or write: plain data, so it can be printed, stored or compared. */
export interface MailMessage {
  /** Sender address (SMTP.USERNAME). */
  from: string;
  /** Primary recipients (the node's contacts), bare addresses. */
  to: string[];
  /** Copy recipients (static recipients not already in `to`), bare addresses. */
  cc: string[];
  subject: string;
  /** UTF-8 HTML body. */
  html: string;
  /** Plain-text alternative of the same content. */
  text: string;
  /** The Date header; default: the moment the mail is sent or written. */
  date?: Date;
}

/** The nodemailer message for ours: both bodies as UTF-8 quoted-printable, marked as automated. */
export function toNodemailerMessage(message: MailMessage): SendMailOptions {
  return {
    from: message.from,
    to: message.to,
    cc: message.cc,
    subject: message.subject,
    text: message.text,
    html: message.html,
    textEncoding: 'quoted-printable',
    ...(message.date === undefined ? {} : { date: message.date }),
    // RFC 3834 and Exchange's header: out-of-office replies must not answer a monitor.
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
}
