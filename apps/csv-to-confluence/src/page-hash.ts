import { createHash } from 'node:crypto';
import { type KeptPageParts, type NodePageView, renderNodePage } from '@broker-monitor/page-render';

/** Start of the version message (and attachment comment) holding the hash of what we wrote. */
export const HASH_PREFIX = 'broker-monitor:';

/** `broker-monitor:<sha256 hex>` of the given parts. */
export function hashMessage(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `${HASH_PREFIX}${hash.digest('hex')}`;
}

/**
 * The version message of a node page: the hash of what we render, with the two parts kept from
 * the stored page in a form Confluence does not rewrite. Confluence normalises the stored body
 * (`<time …></time>` becomes `<time … />`, macros get ids), so the body itself cannot be compared,
 * and the kept `online_since` cell is hashed as its date, the notes as stored.
 */
export function nodePageMessage(view: NodePageView, stored: KeptPageParts | undefined): string {
  const { onlineSince, ...withoutStartDate } = view;
  return hashMessage(
    renderNodePage(withoutStartDate),
    stored?.onlineSince?.date ?? onlineSince ?? '',
    stored?.notes ?? '',
  );
}
