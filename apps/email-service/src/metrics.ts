/*
 * The e-mail service's figures for the textfile: the mails sent per node and kind as running
 * totals. The textfile is the counter's only memory: each run adds its mails to the totals the
 * previous run wrote, and a run that sends nothing (or exits 3) writes them unchanged.
 */
import { addToTotals, counter, type MetricFamily, type PreviousSamples } from '@broker-monitor/metrics';

export const MAILS_SENT = 'broker_monitor_email_mails_sent_total';

/** One delivered mail of this run. */
export interface SentMail {
  nodeId: string;
  commonName: string;
  /** The status the mail is about, e.g. `OFFLINE` or `OFFLINE RECOVERED`. */
  kind: string;
}

export function mailerFamilies(previous: PreviousSamples, sent: readonly SentMail[]): MetricFamily[] {
  const increments = sent.map((mail) => ({
    labels: { node: mail.nodeId, name: mail.commonName, kind: mail.kind },
    value: 1,
  }));
  return [
    counter(
      MAILS_SENT,
      'Mails the e-mail service delivered (sent, or written to the outbox), per node and kind.',
      addToTotals(previous.of(MAILS_SENT), increments),
    ),
  ];
}
