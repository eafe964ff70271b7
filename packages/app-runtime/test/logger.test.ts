import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logLevelOf, UsageError } from '../src/index.js';

function captured(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe('createLogger', () => {
  it('writes JSON lines when the stream is no terminal, with secrets redacted', () => {
    const out = captured(false);
    createLogger({ app: 'demo-app', stream: out.stream }).info({ node: '7', token: 'geheim' }, 'node 7: ok');
    const line = JSON.parse(out.text());
    expect(line).toMatchObject({ app: 'demo-app', node: '7', token: '[redacted]', msg: 'node 7: ok' });
  });

  it('writes readable lines on a terminal, with secrets redacted', () => {
    const out = captured(true);
    createLogger({ app: 'demo-app', stream: out.stream }).warn(
      { token: 'geheim' },
      'node 7: no stats row yet',
    );
    expect(out.text()).toContain('node 7: no stats row yet');
    expect(out.text()).not.toContain('geheim');
    expect(() => JSON.parse(out.text())).toThrow();
  });

  it('reads LOG_LEVEL: unset or empty is info, case and blanks do not matter, anything else is a usage error', () => {
    expect(logLevelOf(undefined)).toBe('info');
    expect(logLevelOf('')).toBe('info');
    expect(logLevelOf(' WARN ')).toBe('warn');
    expect(() => logLevelOf('silent')).toThrow(UsageError);
    expect(() => logLevelOf('warning')).toThrow(
      /^LOG_LEVEL "warning" is not a level; use one of fatal, error/,
    );
  });
});
