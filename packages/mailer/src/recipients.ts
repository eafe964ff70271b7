import addressparser, { type Address } from 'nodemailer/lib/addressparser';
import { MailComposeError } from './errors.js';

const PLAIN_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

function mailboxes(entries: Address[]): string[] {
  return entries.flatMap((entry) => (entry.group === undefined ? [entry.address] : mailboxes(entry.group)));
}

/**
 * Bare addresses from list entries that may carry display names or several addresses
 * (`Dr. A <a@x.de>`, `a@x.de; b@y.de`); empty entries are dropped, duplicates (ignoring case) kept once.
 */
export function normalizeAddresses(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const entry of entries) {
    for (const address of mailboxes(addressparser(entry))) {
      const trimmed = address.trim();
      if (trimmed === '') continue;
      if (!PLAIN_ADDRESS.test(trimmed)) {
        throw new MailComposeError(`"${entry}" is not an e-mail address`);
      }
      const key = trimmed.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        result.push(trimmed);
      }
    }
  }
  return result;
}

/** To = the node's recipients; Cc = the static recipients that are not already in To. */
export function splitRecipients(
  to: readonly string[],
  staticRecipients: readonly string[],
): { to: string[]; cc: string[] } {
  const primary = normalizeAddresses(to);
  const inTo = new Set(primary.map((address) => address.toLowerCase()));
  const cc = normalizeAddresses(staticRecipients).filter((address) => !inTo.has(address.toLowerCase()));
  return { to: primary, cc };
}
