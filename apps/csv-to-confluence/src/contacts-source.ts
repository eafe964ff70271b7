import type { Logger } from '@broker-monitor/app-runtime';
import {
  CONTACTS_PAGE_TITLE,
  type Contact,
  type ContactsSources,
  readContacts,
} from '@broker-monitor/contacts';
import { logStepFailure } from './report-run.js';

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
export async function loadContacts(sources: ContactsSources, logger: Logger): Promise<LoadedContacts> {
  try {
    const table = await readContacts(sources);
    if (table !== undefined) return { contacts: table.contacts };
    if (sources.confluence !== undefined) {
      logger.warn(
        `no page "${CONTACTS_PAGE_TITLE}" in space ${sources.confluence.space}: node pages show no contacts`,
      );
    } else {
      logger.warn('no contacts in the local report: set DIR.CONTACTS to show them');
    }
    return { contacts: [] };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    logStepFailure(logger, 'contacts', new Error(`${failure.message}; node pages show no contacts`));
    return { contacts: [], failure };
  }
}
