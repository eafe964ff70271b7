import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { type MailMessage, toNodemailerMessage } from './message.js';

/** The message as the SMTP server would receive it (RFC 822, CRLF line ends). */
async function buildRawMail(message: MailMessage): Promise<{ raw: Buffer; messageId: string }> {
  const builder = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await builder.sendMail(toNodemailerMessage(message));
  // buffer: true gives a Buffer; the type also admits the streaming form.
  if (!Buffer.isBuffer(info.message)) throw new TypeError('nodemailer built a stream despite buffer: true');
  return { raw: info.message, messageId: info.messageId };
}

export interface WriteEmlOptions {
  /** File name in `dir`; default: derived from the Message-ID, so names never collide. */
  fileName?: string;
}

/**
 * Writes the mail as an .eml file into `dir` (created if missing), atomically (temp file + rename),
 * and returns its path. For `--outbox`: the files open in any mail program.
 */
export async function writeEml(
  message: MailMessage,
  dir: string,
  options: WriteEmlOptions = {},
): Promise<string> {
  const { raw, messageId } = await buildRawMail(message);
  const fileName = options.fileName ?? `${messageId.replace(/^<|>$/g, '').replace(/[^\w.@-]/g, '_')}.eml`;
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileName);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, raw);
  await rename(temporary, path);
  return path;
}
