import { type AddressObject, simpleParser } from 'mailparser';

/** A mail as a test reads it: the headers that matter for alerts, both bodies and the raw text. */
export interface ParsedTestMail {
  /** Bare addresses of the From header. */
  from: string[];
  /** Bare addresses of the To header. */
  to: string[];
  /** Bare addresses of the Cc header. */
  cc: string[];
  subject: string;
  messageId: string | undefined;
  /** The HTML part decoded to a string (empty when there is none). */
  html: string;
  /** The text/plain part decoded to a string (empty when there is none). */
  text: string;
  /** Header lines as received, lower-case names (e.g. `content-type`, `auto-submitted`). */
  headerLines: Array<{ key: string; line: string }>;
  /** The message exactly as it travelled (RFC 822). */
  raw: Buffer;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (field === undefined) return [];
  const objects = Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap((entry) => (entry.address ? [entry.address] : [])));
}

/** Parses an RFC 822 message (from the server or an .eml file) into the fields tests compare. */
export async function parseRawMail(raw: Buffer | string): Promise<ParsedTestMail> {
  const buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const parsed = await simpleParser(buffer);
  return {
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: parsed.subject ?? '',
    messageId: parsed.messageId,
    html: typeof parsed.html === 'string' ? parsed.html : '',
    text: parsed.text ?? '',
    headerLines: parsed.headerLines.map(({ key, line }) => ({ key, line })),
    raw: buffer,
  };
}
