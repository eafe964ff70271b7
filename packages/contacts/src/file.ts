import { readFile } from 'node:fs/promises';
import type { Contact } from './contact.js';
import { parseContactsCsv } from './csv.js';
import { ContactsFormatError } from './errors.js';

/** Reads and parses the DIR.CONTACTS file. @throws ContactsFormatError, also when the file cannot be read. */
export async function readContactsFile(path: string): Promise<Contact[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContactsFormatError(path, `cannot read the contacts file: ${reason}`, [], { cause: error });
  }
  return parseContactsCsv(bytes, path);
}
