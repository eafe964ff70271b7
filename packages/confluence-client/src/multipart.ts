import { randomUUID } from 'node:crypto';

export interface FilePart {
  fileName: string;
  content: Uint8Array;
  mediaType: string;
}

/**
 * multipart/form-data as Confluence's attachment resource reads it: the file in a part named
 * `file`, then `comment` (typed text/plain; charset=utf-8, so umlauts survive on every server) and
 * `minorEdit`. Built by hand because FormData cannot give a text part its own content type.
 */
export function buildUpload(file: FilePart, comment: string | undefined, minorEdit: boolean) {
  const boundary = `----broker-monitor-${randomUUID()}`;
  const chunks: Uint8Array[] = [];
  const text = (value: string) => chunks.push(Buffer.from(value, 'utf8'));
  text(`--${boundary}\r\n`);
  text(`Content-Disposition: form-data; name="file"; filename="${quoteFileName(file.fileName)}"\r\n`);
  text(`Content-Type: ${file.mediaType}\r\n\r\n`);
  chunks.push(file.content);
  text('\r\n');
  if (comment !== undefined) {
    text(`--${boundary}\r\nContent-Disposition: form-data; name="comment"\r\n`);
    text(`Content-Type: text/plain; charset=utf-8\r\n\r\n${comment}\r\n`);
  }
  text(`--${boundary}\r\nContent-Disposition: form-data; name="minorEdit"\r\n\r\n${minorEdit}\r\n`);
  text(`--${boundary}--\r\n`);
  return { bytes: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The escaping browsers use for a file name inside the quoted Content-Disposition parameter. */
function quoteFileName(name: string): string {
  return name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}
