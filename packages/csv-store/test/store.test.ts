import { appendFile, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store.js';

describe('silences file', () => {
  it('is absent at first, then written atomically in .broker-monitor and read back', async () => {
    const working = await mkdtemp(join(tmpdir(), 'bm-store-silences-'));
    const store = openStore(working);
    expect(await store.readSilences()).toEqual({
      file: join(working, '.broker-monitor', 'silences.json'),
      text: undefined,
    });
    await store.writeSilences('{"version":1,"silences":[]}\n');
    expect((await store.readSilences()).text).toBe('{"version":1,"silences":[]}\n');
    expect(await readdir(join(working, '.broker-monitor'))).toEqual(['silences.json']);
  });
});

describe('sent-mail log', () => {
  it('reads back what logSentMail appended and the Python version’s lines, skipping others', async () => {
    const working = await mkdtemp(join(tmpdir(), 'bm-store-sent-'));
    const store = openStore(working);
    expect(await store.readSentMails('7')).toEqual([]);
    await mkdir(join(working, '7'));
    // As the Python version wrote it: str(datetime) with microseconds.
    await appendFile(
      join(working, '7', '7_sent_mails.log'),
      '2025-03-03 06:00:01.123456+00:00 : Sent mail for status NO IMPORTS to node id 7\nnot a log line\n',
    );
    await store.logSentMail('7', 'OFFLINE RECOVERED', new Date('2025-03-10T06:00:00.250Z'));
    expect(await store.readSentMails('7')).toEqual([
      { time: new Date('2025-03-03T06:00:01.123Z'), status: 'NO IMPORTS' },
      { time: new Date('2025-03-10T06:00:00.250Z'), status: 'OFFLINE RECOVERED' },
    ]);
  });
});
