/*
 * Where the recipients come from: the local DIR.CONTACTS table, or the Confluence page
 * `E-Mail-Verteiler` read once per run. Failures become the exit codes of SPEC §6.
 */
import { ServiceUnavailableError } from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError } from '@broker-monitor/config';
import {
  ConfluenceError,
  ConfluenceHttpError,
  createConfluenceClient,
} from '@broker-monitor/confluence-client';
import {
  CONTACTS_PAGE_TITLE,
  type Contact,
  ContactsFormatError,
  parseContactsPage,
  readContactsFile,
} from '@broker-monitor/contacts';

export interface ContactsTable {
  contacts: Contact[];
  /** Where they came from, for log lines: the file path or `Confluence page E-Mail-Verteiler`. */
  source: string;
}

/**
 * Reads the contacts table. A broken DIR.CONTACTS file is a ConfigError (exit 2); Confluence
 * unreachable, refusing the token, without the page or with an unreadable page is a
 * ServiceUnavailableError (exit 3) naming the key to check.
 */
export async function loadContacts(config: AppConfig<'email-service'>): Promise<ContactsTable> {
  if (config.dir.contacts !== undefined) {
    try {
      return { contacts: await readContactsFile(config.dir.contacts), source: config.dir.contacts };
    } catch (error) {
      if (!(error instanceof ContactsFormatError)) throw error;
      throw new ConfigError(config.file, [{ path: 'DIR.CONTACTS', message: error.message }]);
    }
  }
  const { url, space, token, email, timeoutSeconds } = config.confluence;
  if (url === undefined || space === undefined || token === undefined) {
    // loadConfig already demands them without DIR.CONTACTS; this keeps the types honest.
    throw new ConfigError(config.file, [
      { path: 'CONFLUENCE.URL', message: 'CONFLUENCE.URL, SPACE and TOKEN are needed without DIR.CONTACTS' },
    ]);
  }
  const client = createConfluenceClient({
    url,
    token,
    email,
    timeoutMs: timeoutSeconds * 1000,
    caBundlePath: config.requestsCaBundle,
  });
  const source = `Confluence page ${CONTACTS_PAGE_TITLE}`;
  try {
    const page = await client.findPage(space, CONTACTS_PAGE_TITLE).catch((error: unknown) => {
      throw confluenceUnavailable(error, email !== undefined);
    });
    if (page === undefined) {
      throw new ServiceUnavailableError(
        `the contacts page ${CONTACTS_PAGE_TITLE} was not found in Confluence space ${space}`,
        'CONFLUENCE.SPACE',
      );
    }
    try {
      return { contacts: parseContactsPage(page.body), source };
    } catch (error) {
      if (!(error instanceof ContactsFormatError)) throw error;
      throw new ServiceUnavailableError(
        `no recipients can be read: ${error.message}`,
        `the page ${CONTACTS_PAGE_TITLE} in CONFLUENCE.SPACE`,
        { cause: error },
      );
    }
  } finally {
    await client.close();
  }
}

function confluenceUnavailable(error: unknown, cloud: boolean): unknown {
  if (!(error instanceof ConfluenceError)) return error;
  if (error instanceof ConfluenceHttpError && error.isAuthFailure) {
    return new ServiceUnavailableError(
      `Confluence refused our credentials reading ${CONTACTS_PAGE_TITLE}: ${error.message}`,
      cloud ? 'CONFLUENCE.EMAIL and CONFLUENCE.TOKEN' : 'CONFLUENCE.TOKEN',
      { cause: error },
    );
  }
  return new ServiceUnavailableError(
    `cannot read ${CONTACTS_PAGE_TITLE} from Confluence: ${error.message}`,
    'CONFLUENCE.URL',
    { cause: error },
  );
}
