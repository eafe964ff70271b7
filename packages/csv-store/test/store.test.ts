import { mkdtemp, readdir } from 'node:fs/promises';
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
