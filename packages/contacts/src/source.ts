import type { Contact } from './contact.js';
import { readContactsFile } from './file.js';
import { CONTACTS_PAGE_TITLE, parseContactsPage } from './page.js';

/** Finds a Confluence page by title; `@broker-monitor/confluence-client`'s client is one. */
export interface ContactsPageFinder {
  /** The page's storage-format body, or undefined when the space has no page with this title. */
  findPage(space: string, title: string): Promise<{ readonly body: string } | undefined>;
}

/** Where the contacts table may be read; the file wins when both are given. */
export interface ContactsSources {
  /** DIR.CONTACTS: a local CSV with the columns of the page. */
  contactsFile?: string | undefined;
  /** The space holding the `E-Mail-Verteiler` page, and what reads it. */
  confluence?: { readonly client: ContactsPageFinder; readonly space: string } | undefined;
}

export interface ContactsTable {
  readonly contacts: Contact[];
  /** Where they came from, for log lines: the file path, or `Confluence page E-Mail-Verteiler`. */
  readonly source: string;
}

/**
 * Reads the contacts from DIR.CONTACTS when set, else from the `E-Mail-Verteiler` page.
 * Whether a missing table is fine, a warning or a failure is the caller's decision, hence
 * `undefined` rather than an error when the page does not exist or no source is given.
 * @throws ContactsFormatError for an unreadable file or table; the finder's errors unchanged.
 */
export async function readContacts(sources: ContactsSources): Promise<ContactsTable | undefined> {
  const { contactsFile, confluence } = sources;
  if (contactsFile !== undefined) {
    return { contacts: await readContactsFile(contactsFile), source: contactsFile };
  }
  if (confluence === undefined) return undefined;
  const page = await confluence.client.findPage(confluence.space, CONTACTS_PAGE_TITLE);
  if (page === undefined) return undefined;
  return { contacts: parseContactsPage(page.body), source: `Confluence page ${CONTACTS_PAGE_TITLE}` };
}
