import { describe, expect, it } from 'vitest';
import { durationText, pipedCommand, type TerminalView, terminalLine } from '../src/terminal.js';

const view: TerminalView = {
  showOk: false,
  nameOf: (id) => (id === '3' ? 'Klinikum Drei' : undefined),
  fullLog: 'node-to-csv s.toml | cat',
  colors: false,
};
const time = new Date(2026, 0, 2, 7, 8, 9).getTime();

describe('terminalLine', () => {
  it('gives a failed node one line with its id, name and reason; an ok node none unless asked', () => {
    const failed = {
      level: 50,
      time,
      node: '3',
      outcome: 'failed',
      reason: 'timeout',
      msg: 'node 3: failed: timeout',
    };
    expect(terminalLine(failed, view)).toBe('07:08:09 ERROR node 3 (Klinikum Drei): failed: timeout');
    const ok = { level: 30, time, node: '4', outcome: 'ok', msg: 'node 4: ok' };
    expect(terminalLine(ok, view)).toBeUndefined();
    expect(terminalLine(ok, { ...view, showOk: true })).toBe('07:08:09 INFO  node 4: ok');
  });

  it('sums the run up with counts, duration, exit code and how to get the JSON lines', () => {
    const summary = {
      level: 30,
      time,
      summary: true,
      ok: 497,
      warning: 2,
      failed: 1,
      durationMs: 75_400,
      exitCode: 1,
    };
    expect(terminalLine(summary, view)).toBe(
      '07:08:09 run finished in 1 min 15 s: 497 ok, 2 warnings, 1 failed (exit 1); every line as JSON: node-to-csv s.toml | cat',
    );
  });

  it('keeps a message with line breaks or escape sequences on one line', () => {
    const record = { level: 50, time, node: '3', outcome: 'failed', msg: 'node 3: failed: a\nb\u001b[2Jc' };
    expect(terminalLine(record, view)).toBe('07:08:09 ERROR node 3 (Klinikum Drei): failed: a b [2Jc');
  });

  it('shows only the message of any other record, never its fields', () => {
    const line = terminalLine({ level: 40, time, token: '[redacted]', url: 'x', msg: 'retrying' }, view);
    expect(line).toBe('07:08:09 WARN  retrying');
  });
});

describe('durationText and pipedCommand', () => {
  it('says durations as a person reads them and quotes what the shell would split', () => {
    expect([durationText(1234), durationText(42_400), durationText(3_600_000)]).toEqual([
      '1.2 s',
      '42 s',
      '60 min 0 s',
    ]);
    expect(pipedCommand('email-service', ['my settings.toml', "--outbox=it's"])).toBe(
      `email-service 'my settings.toml' '--outbox=it'\\''s' | cat`,
    );
  });
});
