/*
 * Where the recipients come from: the local DIR.CONTACTS table, or the Confluence page
 * `E-Mail-Verteiler` read once per run. Failures become the exit codes of SPEC §6.
 */
import { ServiceUnavailableError } from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError } from '@broker-monitor/config';
import {
  type ConfluenceConnection,
  ConfluenceError,
  ConfluenceHttpError,
  ConfluenceSettingsError,
  connectConfluence,
} from '@broker-monitor/confluence-client';
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

function openConfluence(config: AppConfig<'email-service'>): ConfluenceConnection {
  try {
    return connectConfluence({ ...config.confluence, caBundlePath: config.requestsCaBundle });
  } catch (error) {
    if (!(error instanceof ConfluenceSettingsError)) throw error;
    throw new ConfigError(config.file, [{ path: error.key, message: error.message }]);
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
  if (!(error instanceof ConfluenceError) || confluence === undefined) return error;
  if (error instanceof ConfluenceHttpError && error.isAuthFailure) {
    return new ServiceUnavailableError(
      `Confluence refused our credentials reading ${CONTACTS_PAGE_TITLE}: ${error.message}`,
      confluence.cloud ? 'CONFLUENCE.EMAIL and CONFLUENCE.TOKEN' : 'CONFLUENCE.TOKEN',
      { cause: error },
    );
  }
  return new ServiceUnavailableError(
    `cannot read ${CONTACTS_PAGE_TITLE} from Confluence: ${error.message}`,
    'CONFLUENCE.URL',
    { cause: error },
  );
}
