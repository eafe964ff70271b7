import { describe, expect, it } from 'vitest';
import { HttpResponseError, type ResponseHeaders, ResponseParser } from '../src/response-parser.js';

interface Parsed {
  parser: ResponseParser;
  statusCode: number;
  headers: ResponseHeaders;
  body: string;
}

/** Feeds `text` in pieces of `step` bytes, as a connection may deliver it. */
function parse(text: string, { method = 'GET', step = text.length } = {}): Parsed {
  const result = { statusCode: 0, headers: {}, body: '' } as Omit<Parsed, 'parser'>;
  const parser = new ResponseParser(method, {
    onHead(statusCode, headers) {
      result.statusCode = statusCode;
      result.headers = headers;
    },
    onBody(chunk) {
      result.body += chunk.toString('latin1');
    },
  });
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.byteLength; at += step) parser.feed(bytes.subarray(at, at + step));
  return { parser, ...result };
}

const failure = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('ResponseParser', () => {
  it('reads a Content-Length body, whichever way the bytes are split', () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Twice: a\r\nx-twice:  b \r\n\r\nhello';
    for (const step of [1, 2, 7, text.length]) {
      const { parser, statusCode, headers, body } = parse(text, { step });
      expect({ statusCode, body, done: parser.done, keepAlive: parser.keepAlive }).toEqual({
        statusCode: 200,
        body: 'hello',
        done: true,
        keepAlive: true,
      });
      expect(headers).toEqual({ 'content-length': '5', 'x-twice': ['a', 'b'] });
    }
  });

  it('reads a chunked body with extensions and trailers, split anywhere', () => {
    const text =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '4;name=value\r\n<a/>\r\nA\r\n0123456789\r\n0\r\nX-Checksum: 1\r\n\r\n';
    for (const step of [1, 3, text.length]) {
      const { parser, body } = parse(text, { step });
      expect(body).toBe('<a/>0123456789');
      expect(parser.done).toBe(true);
      expect(parser.keepAlive).toBe(true);
    }
  });

  it('has no body for HEAD, 204 and 304, and skips a 100 Continue head', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n', { method: 'HEAD' }).parser.done).toBe(
      true,
    );
    expect(parse('HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n').parser.done).toBe(true);
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n').parser.done).toBe(true);
    const continued = parse(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno',
    );
    expect([continued.statusCode, continued.body, continued.parser.done]).toEqual([404, 'no', true]);
  });

  it('reads a body without length until the connection ends, and never reuses that connection', () => {
    const { parser, body } = parse('HTTP/1.1 200 OK\r\n\r\npart one, ');
    expect([body, parser.done, parser.untilClose, parser.keepAlive]).toEqual([
      'part one, ',
      false,
      true,
      false,
    ]);
    parser.end();
    expect(parser.done).toBe(true);
  });

  it('keeps a connection only where HTTP/1.1 and the headers allow it', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(
      false,
    );
    expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(false);
    const both = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n');
    expect([both.parser.done, both.parser.keepAlive]).toEqual([true, false]);
    const hinted = parse('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n');
    expect(hinted.parser.keepAliveTimeoutMs).toBe(5000);
  });

  it('counts bytes sent after the complete answer', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA').parser.excess).toBe(5);
  });

  it('refuses malformed answers with a named reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['HTTP/2 200 OK\r\n\r\n', /invalid status line "HTTP\/2 200 OK"/],
      ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', /invalid header line/],
      ['HTTP/1.1 200 OK\r\n folded: x\r\n\r\n', /invalid header line/],
      ['HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n', /invalid content-length "1, 2"/],
      ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /invalid content-length/],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /invalid chunk size line "zz"/],
      [
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n',
        /chunk data longer than its size/,
      ],
      ['HTTP/1.1 101 Switching Protocols\r\n\r\n', /unexpected 101/],
    ];
    for (const [text, message] of cases) {
      const error = failure(() => parse(text));
      expect(error).toBeInstanceOf(HttpResponseError);
      expect(error).toMatchObject({
        code: 'HTTP_MALFORMED_RESPONSE',
        message: expect.stringMatching(message),
      });
    }
  });

  it('refuses a head over 64 KiB before its end arrives', () => {
    const error = failure(() => parse(`HTTP/1.1 200 OK\r\nX-Big: ${'x'.repeat(70_000)}`));
    expect(error).toMatchObject({ code: 'HTTP_HEADERS_TOO_LARGE' });
  });

  it('tells an answer cut off before its end', () => {
    for (const text of [
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab',
      'HTTP/1.1 200 O',
    ]) {
      const { parser } = parse(text);
      expect(failure(() => parser.end())).toMatchObject({ code: 'HTTP_INCOMPLETE_RESPONSE' });
    }
  });
});
