/** The contacts table (Confluence page or DIR.CONTACTS file) cannot be read; names the source. */
export class ContactsFormatError extends Error {
  override readonly name = 'ContactsFormatError';
  constructor(
    /** The page title or file path the table came from. */
    readonly source: string,
    message: string,
    /** Header names the table lacks; empty for other problems. */
    readonly missingColumns: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(`${source}: ${message}`, options);
  }
}
