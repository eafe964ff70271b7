/*
 * Where the recipients come from: the local DIR.CONTACTS table, or the Confluence page
 * `E-Mail-Verteiler` read once per run. Failures become the exit codes of SPEC §6.
 */
import { ServiceUnavailableError } from '@broker-monitor/app-runtime';
import {
  type ConfluenceConnection,
  confluenceStartFailure,
  openConfluence,
} from '@broker-monitor/app-runtime/confluence';
import { type AppConfig, ConfigError } from '@broker-monitor/config';
import {
  CONTACTS_PAGE_TITLE,
  ContactsFormatError,
  type ContactsTable,
  readContacts,
} from '@broker-monitor/contacts';

/**
 * Reads the contacts table. A broken DIR.CONTACTS file is a ConfigError (exit 2); Confluence
 * unreachable, refusing the token, without the page or with an unreadable page is a
 * ServiceUnavailableError (exit 3) naming the key to check.
 */
export async function loadContacts(config: AppConfig<'email-service'>): Promise<ContactsTable> {
  const contactsFile = config.dir.contacts;
  // loadConfig demands CONFLUENCE.URL, SPACE and TOKEN without DIR.CONTACTS.
  const confluence = contactsFile === undefined ? openConfluence(config) : undefined;
  try {
    const table = await readContacts({ contactsFile, confluence }).catch((error: unknown) => {
      throw unreadable(error, config, confluence);
    });
    // Only the page can be missing: a file always gives a table or an error.
    if (table !== undefined) return table;
    throw new ServiceUnavailableError(
      `the contacts page ${CONTACTS_PAGE_TITLE} was not found in Confluence space ${config.confluence.space}`,
      'CONFLUENCE.SPACE',
    );
  } finally {
    await confluence?.client.close();
  }
}

function unreadable(
  error: unknown,
  config: AppConfig<'email-service'>,
  confluence: ConfluenceConnection | undefined,
): unknown {
  if (error instanceof ContactsFormatError) {
    if (confluence === undefined) {
      return new ConfigError(config.file, [{ path: 'DIR.CONTACTS', message: error.message }]);
    }
    return new ServiceUnavailableError(
      `no recipients can be read: ${error.message}`,
      `the page ${CONTACTS_PAGE_TITLE} in CONFLUENCE.SPACE`,
      { cause: error },
    );
  }
  return confluence === undefined ? error : confluenceStartFailure(error, confluence);
}
