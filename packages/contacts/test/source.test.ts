import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTACTS_PAGE_TITLE,
  ContactsFormatError,
  type ContactsPageFinder,
  mailRecipients,
  readContacts,
} from '../src/index.js';
import { HEADER, ROWS, tdTable, thTable } from './tables.js';

/** A space of pages by title, standing in for Confluence; records what was asked for. */
function pagesOf(space: string, pages: Record<string, string>) {
  const asked: string[] = [];
  const finder: ContactsPageFinder = {
    async findPage(inSpace, title) {
      asked.push(`${inSpace}/${title}`);
      const body = inSpace === space ? pages[title] : undefined;
      return body === undefined ? undefined : { body };
    },
  };
  return { finder, asked };
}

describe('readContacts', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'contacts-source-'));
    file = join(dir, 'kontakte.csv');
    const rows = [HEADER, ...ROWS.filter(([nodeId]) => nodeId === '2')];
    await writeFile(file, `${rows.map((row) => row.join(';')).join('\n')}\n`, 'utf8');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the page E-Mail-Verteiler of the space', async () => {
    const { finder, asked } = pagesOf('AKTIN', { [CONTACTS_PAGE_TITLE]: thTable() });
    const table = await readContacts({ confluence: { client: finder, space: 'AKTIN' } });
    expect(asked).toEqual([`AKTIN/${CONTACTS_PAGE_TITLE}`]);
    expect(table?.source).toBe(`Confluence page ${CONTACTS_PAGE_TITLE}`);
    expect(mailRecipients(table?.contacts ?? [], '1')).toEqual(['anna@klinik1.de', 'dora@klinik1.de']);
  });

  it('prefers DIR.CONTACTS and then does not ask Confluence', async () => {
    const { finder, asked } = pagesOf('AKTIN', { [CONTACTS_PAGE_TITLE]: tdTable() });
    const table = await readContacts({ contactsFile: file, confluence: { client: finder, space: 'AKTIN' } });
    expect(asked).toEqual([]);
    expect(table?.source).toBe(file);
    expect(table?.contacts.map((contact) => contact.email)).toEqual(['fritz@klinik2.de']);
  });

  it('gives undefined without the page or without any source', async () => {
    const { finder } = pagesOf('AKTIN', { [CONTACTS_PAGE_TITLE]: thTable() });
    expect(await readContacts({ confluence: { client: finder, space: 'OTHER' } })).toBeUndefined();
    expect(await readContacts({})).toBeUndefined();
  });

  it('throws ContactsFormatError for an unreadable file or table, naming it', async () => {
    await expect(readContacts({ contactsFile: join(dir, 'missing.csv') })).rejects.toThrow(
      ContactsFormatError,
    );
    const { finder } = pagesOf('AKTIN', { [CONTACTS_PAGE_TITLE]: '<p>no table</p>' });
    await expect(readContacts({ confluence: { client: finder, space: 'AKTIN' } })).rejects.toThrow(
      `${CONTACTS_PAGE_TITLE}: no table found`,
    );
  });

  it("passes the finder's errors on unchanged", async () => {
    const refused = new Error('HTTP 401');
    const finder: ContactsPageFinder = { findPage: () => Promise.reject(refused) };
    await expect(readContacts({ confluence: { client: finder, space: 'AKTIN' } })).rejects.toBe(refused);
  });
});
