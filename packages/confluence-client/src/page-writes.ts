/*
 * The retry rules of page writes, the same on both flavours: a request that may have been repeated
 * (its first answer lost) is recognised by what it left in Confluence.
 */
import type { PageUpdate } from './client.js';
import type { ConfluencePage } from './content.js';
import { ConfluenceHttpError } from './errors.js';

/**
 * Sends a create. A repeated create whose first attempt landed is refused because the title is
 * taken (titles are unique in a space); when the page with that title is under the parent we
 * asked for, it is the page we created, and that is success.
 */
export async function createOnce(
  send: () => Promise<ConfluencePage>,
  findByTitle: () => Promise<ConfluencePage | undefined>,
  parentId: string | undefined,
): Promise<ConfluencePage> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ConfluenceHttpError) || !error.isTitleTaken || error.attempts <= 1) throw error;
    const existing = await findByTitle();
    if (existing === undefined || existing.parentId !== parentId) throw error;
    return existing;
  }
}

/**
 * Writes a new version; on 409 re-reads the page and retries once with the fresh version number,
 * unless the page already is our write (an earlier attempt landed and the PUT was repeated),
 * recognised by its version number, message and title.
 */
export async function updateOnce(
  update: PageUpdate,
  put: (version: number) => Promise<ConfluencePage>,
  read: () => Promise<ConfluencePage>,
): Promise<ConfluencePage> {
  try {
    return await put(update.version);
  } catch (error) {
    if (!(error instanceof ConfluenceHttpError) || error.status !== 409) throw error;
    const current = await read();
    const ours =
      update.versionMessage !== undefined &&
      update.versionMessage !== '' &&
      current.version.number === update.version &&
      current.version.message === update.versionMessage &&
      current.title === update.title;
    if (ours) return current;
    return put(current.version.number + 1);
  }
}
