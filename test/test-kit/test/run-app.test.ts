import type { AppDefinition } from '@broker-monitor/app-runtime';
import { describe, expect, it } from 'vitest';
import { jsonLogLines, outcomeOf, runAppCaptured, STATS_HEADER } from '../src/index.js';

describe('jsonLogLines', () => {
  it('keeps the JSON lines in order and passes over text and a half-written last line', () => {
    const text = '{"a":1}\nplain text\n{"node":"3","outcome":"ok"}\n{"cut":';
    expect(jsonLogLines(text)).toEqual([{ a: 1 }, { node: '3', outcome: 'ok' }]);
  });
});

describe('runAppCaptured', () => {
  it('runs an app as its bin does and keeps its exit code and log lines', async () => {
    const app: AppDefinition = {
      name: 'probe',
      version: '0.0.0',
      summary: 'logs one node outcome',
      async main(context) {
        context.logger.info({ node: '7', outcome: 'written' }, 'node done');
        return 1;
      },
    };
    const run = await runAppCaptured(app, ['settings.toml']);
    expect(run.code).toBe(1);
    expect(outcomeOf(run, '7')).toMatchObject({ node: '7', outcome: 'written' });
    expect(outcomeOf(run, '8')).toBeUndefined();
  });
});

it('STATS_HEADER is the header line the Python collector writes', () => {
  expect(STATS_HEADER).toBe(
    'date;last_contact;last_start;last_write;last_reject;imported;updated;invalid;failed;error_rate;daily_imported;daily_updated;daily_invalid;daily_failed;daily_error_rate',
  );
});
