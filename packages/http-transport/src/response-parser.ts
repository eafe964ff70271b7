/** An answer that breaks HTTP/1.1 framing, or ended before it was complete. */
export class HttpResponseError extends Error {
  override name = 'HttpResponseError';

  constructor(
    message: string,
    readonly code: 'HTTP_MALFORMED_RESPONSE' | 'HTTP_HEADERS_TOO_LARGE' | 'HTTP_INCOMPLETE_RESPONSE',
  ) {
    super(message);
  }
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What the parser reports, in this order: one head, then the body's bytes piece by piece. */
export interface ResponseEvents {
  onHead(statusCode: number, headers: ResponseHeaders): void;
  onBody(chunk: Buffer): void;
}

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\r\n]*)?$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,8})[ \t]*(?:;.*)?$/;

type Framing =
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-end'
  | 'trailers'
  | 'until-close'
  | 'done';

/**
 * One HTTP/1.1 answer read incrementally from a connection's bytes: the status line and headers,
 * then the body framed as RFC 9112 §6.3 says (none for HEAD, 1xx, 204 and 304; chunked; a
 * Content-Length; or everything until the connection closes). Informational 1xx heads are skipped.
 * Kept small on purpose: the broker's answers are small XML documents, and a general client (undici,
 * node:http) cost the collector about three times the CPU per request of this one (pnpm bench).
 */
export class ResponseParser {
  /** Whether the connection may carry another request once this answer is complete. */
  keepAlive = true;
  /** The server's `Keep-Alive: timeout=…` in ms, when it gave one. */
  keepAliveTimeoutMs: number | undefined;
  /** Bytes after the complete answer: a server that sent more than it was asked for. */
  excess = 0;
  private framing: Framing = 'head';
  private pending: Buffer | undefined;
  private remaining = 0;

  constructor(
    private readonly method: string,
    private readonly events: ResponseEvents,
  ) {}

  get done(): boolean {
    return this.framing === 'done';
  }

  /** Whether the answer is read until the connection closes (then `end` completes it). */
  get untilClose(): boolean {
    return this.framing === 'until-close';
  }

  /** Takes the next bytes of the connection; throws HttpResponseError on a malformed answer. */
  feed(chunk: Buffer): void {
    let data = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    while (data.byteLength > 0) {
      switch (this.framing) {
        case 'head': {
          const end = data.indexOf(HEAD_END);
          if (end < 0) {
            if (data.byteLength > MAX_HEAD_BYTES) {
              throw new HttpResponseError('response head larger than 64 KiB', 'HTTP_HEADERS_TOO_LARGE');
            }
            this.pending = data;
            return;
          }
          this.readHead(data.toString('latin1', 0, end));
          data = data.subarray(end + 4);
          break;
        }
        case 'length':
          data = this.takeBody(data, 'done');
          break;
        case 'until-close':
          this.events.onBody(data);
          return;
        case 'chunk-data':
          data = this.takeBody(data, 'chunk-end');
          break;
        case 'chunk-size':
        case 'chunk-end':
        case 'trailers': {
          const end = data.indexOf(CRLF);
          if (end < 0) {
            if (data.byteLength > MAX_LINE_BYTES) {
              throw new HttpResponseError('chunk line longer than 8 KiB', 'HTTP_MALFORMED_RESPONSE');
            }
            this.pending = data;
            return;
          }
          this.readChunkLine(data.toString('latin1', 0, end));
          data = data.subarray(end + 2);
          break;
        }
        case 'done':
          this.excess += data.byteLength;
          return;
      }
    }
  }

  /** The connection ended: completes an answer read until close, else the answer is incomplete. */
  end(): void {
    if (this.framing === 'until-close') this.framing = 'done';
    else if (this.framing !== 'done') {
      throw new HttpResponseError(
        'connection closed before the response was complete',
        'HTTP_INCOMPLETE_RESPONSE',
      );
    }
  }

  /** Hands on up to `remaining` bytes of body, then moves to `next`; gives back the bytes after them. */
  private takeBody(data: Buffer, next: Framing): Buffer {
    const piece = data.byteLength > this.remaining ? data.subarray(0, this.remaining) : data;
    this.remaining -= piece.byteLength;
    this.events.onBody(piece);
    if (this.remaining === 0) this.framing = next;
    return data.subarray(piece.byteLength);
  }

  private readHead(text: string): void {
    const lines = text.split('\r\n');
    const status = STATUS_LINE.exec(lines[0] ?? '');
    if (status === null)
      throw malformed(`invalid status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
    const statusCode = Number(status[2]);
    const headers: ResponseHeaders = {};
    for (let i = 1; i < lines.length; i++) {
      const header = HEADER_LINE.exec(lines[i] as string);
      if (header === null)
        throw malformed(`invalid header line ${JSON.stringify((lines[i] as string).slice(0, 80))}`);
      const name = (header[1] as string).toLowerCase();
      const value = header[2] as string;
      const previous = headers[name];
      if (previous === undefined) headers[name] = value;
      else if (Array.isArray(previous)) previous.push(value);
      else headers[name] = [previous, value];
    }
    if (statusCode < 200) {
      if (statusCode === 101) throw malformed('unexpected 101 Switching Protocols');
      return; // 100 Continue, 103 Early Hints: the real head follows
    }
    this.keepAlive = status[1] === '1' && !hasToken(headers.connection, 'close');
    this.keepAliveTimeoutMs = keepAliveTimeout(headers['keep-alive']);
    this.framing = this.bodyFraming(statusCode, headers);
    this.events.onHead(statusCode, headers);
  }

  private bodyFraming(statusCode: number, headers: ResponseHeaders): Framing {
    if (this.method === 'HEAD' || statusCode === 204 || statusCode === 304) return 'done';
    const transferEncoding = headers['transfer-encoding'];
    if (transferEncoding !== undefined) {
      // A length next to a transfer coding is ignored, and the connection not reused (RFC 9112 §6.3).
      if (headers['content-length'] !== undefined) this.keepAlive = false;
      if (listItems(transferEncoding).at(-1)?.toLowerCase() === 'chunked') return 'chunk-size';
      this.keepAlive = false;
      return 'until-close';
    }
    const contentLength = headers['content-length'];
    if (contentLength === undefined) {
      this.keepAlive = false;
      return 'until-close';
    }
    const lengths = new Set(listItems(contentLength));
    const [length] = lengths;
    if (lengths.size !== 1 || length === undefined || !/^\d{1,15}$/.test(length)) {
      throw malformed(
        `invalid content-length ${JSON.stringify([contentLength].flat().join(', ').slice(0, 40))}`,
      );
    }
    this.remaining = Number(length);
    return this.remaining === 0 ? 'done' : 'length';
  }

  private readChunkLine(line: string): void {
    if (this.framing === 'chunk-end') {
      if (line !== '') throw malformed('chunk data longer than its size');
      this.framing = 'chunk-size';
    } else if (this.framing === 'trailers') {
      // Trailer fields are read past, not used; the empty line ends the answer.
      if (line === '') this.framing = 'done';
      else if (!HEADER_LINE.test(line))
        throw malformed(`invalid trailer line ${JSON.stringify(line.slice(0, 80))}`);
    } else {
      const size = CHUNK_SIZE.exec(line);
      if (size === null) throw malformed(`invalid chunk size line ${JSON.stringify(line.slice(0, 40))}`);
      this.remaining = Number.parseInt(size[1] as string, 16);
      this.framing = this.remaining === 0 ? 'trailers' : 'chunk-data';
    }
  }
}

function malformed(message: string): HttpResponseError {
  return new HttpResponseError(message, 'HTTP_MALFORMED_RESPONSE');
}

/** The comma-separated items of a header, over all its repetitions, trimmed. */
function listItems(value: string | string[]): string[] {
  return [value]
    .flat()
    .join(',')
    .split(',')
    .map((item) => item.trim());
}

function hasToken(value: string | string[] | undefined, token: string): boolean {
  return value !== undefined && listItems(value).some((item) => item.toLowerCase() === token);
}

function keepAliveTimeout(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /(?:^|[,\s])timeout=(\d+)/i.exec([value].flat().join(','));
  return match === null ? undefined : Number(match[1]) * 1000;
}
