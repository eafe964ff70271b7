import type { MailMessage } from './message.js';

/** What `--dry-run` prints for one mail: sender, recipients, subject and the plain text. */
export function formatMailForDryRun(message: MailMessage): string {
  const list = (addresses: readonly string[]) => (addresses.length === 0 ? '(none)' : addresses.join(', '));
  return [
    `From:    ${message.from}`,
    `To:      ${list(message.to)}`,
    `Cc:      ${list(message.cc)}`,
    `Subject: ${message.subject}`,
    '',
    message.text,
    '',
  ].join('\n');
}
