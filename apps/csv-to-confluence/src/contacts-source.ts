import type { Logger } from '@broker-monitor/app-runtime';
import type { ConfluenceClient } from '@broker-monitor/confluence-client';
import {
  CONTACTS_PAGE_TITLE,
  type Contact,
  parseContactsPage,
  readContactsFile,
} from '@broker-monitor/contacts';
import { logStepFailure } from './run-context.js';

export interface ContactsSource {
  /** DIR.CONTACTS; wins over the Confluence page. */
  file?: string | undefined;
  /** Where the `E-Mail-Verteiler` page is read when no file is set. */
  confluence?: { client: ConfluenceClient; space: string } | undefined;
}

export interface LoadedContacts {
  contacts: Contact[];
  /** Set when the contacts could not be read: pages are written without contacts and the run exits 1. */
  failure?: Error | undefined;
}

/**
 * The contacts table: from DIR.CONTACTS, else from the Confluence page `E-Mail-Verteiler`, else
 * none (local report without DIR.CONTACTS). A missing page is a state (warning); an unreadable
 * file or table is a failure of the run, though the pages are still written.
 */
export async function loadContacts(source: ContactsSource, logger: Logger): Promise<LoadedContacts> {
  try {
    if (source.file !== undefined) return { contacts: await readContactsFile(source.file) };
    if (source.confluence !== undefined) {
      const page = await source.confluence.client.findPage(source.confluence.space, CONTACTS_PAGE_TITLE);
      if (page === undefined) {
        logger.warn(
          `no page "${CONTACTS_PAGE_TITLE}" in space ${source.confluence.space}: node pages show no contacts`,
        );
        return { contacts: [] };
      }
      return { contacts: parseContactsPage(page.body) };
    }
    logger.warn('no contacts in the local report: set DIR.CONTACTS to show them');
    return { contacts: [] };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    logStepFailure(logger, 'contacts', new Error(`${failure.message}; node pages show no contacts`));
    return { contacts: [], failure };
  }
}
