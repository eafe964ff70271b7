import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { writeNodeCollection } from '../src/collection.js';
import { BrokenFileError, UnusablePathError } from '../src/errors.js';
import { statsFilePath } from '../src/files.js';
import { openStore } from '../src/store.js';
import { type NodeCollection, STATS_COLUMNS } from '../src/types.js';
import { importStatistics } from './statistics.js';

/*
 * The working directory's files as people leave them: links to elsewhere, a file where a node
 * folder should be, a counter edited by hand. Nothing outside the working directory is read for
 * an upload or written, and the node's own files stay as they were.
 */

const scratch = await mkdtemp(join(tmpdir(), 'csv-store-links-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let work = '';
let outside = '';
let runs = 0;
beforeEach(async () => {
  runs += 1;
  work = join(scratch, String(runs), 'working');
  outside = join(scratch, String(runs), 'elsewhere');
  await mkdir(work, { recursive: true });
  await mkdir(outside);
});

const HEADER = STATS_COLUMNS.join(';');
const collection = (): NodeCollection => ({
  nodeId: '6',
  lastContact: '2025-03-10T05:00:00Z',
  stats: importStatistics(),
  resources: { versions: [['os', 'Ubuntu']], rscript: [], python: [], 'import-scripts': [] },
});
const write = () => writeNodeCollection(work, collection(), { now: () => new Date('2025-03-10T06:00:00Z') });

async function tree(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) result[path] = `-> ${await readlink(path)}`;
    else if (entry.isFile()) result[path] = await readFile(path, 'utf8');
  }
  return result;
}

describe('the collector’s write of a node', () => {
  it('fails on a counter in the stats CSV that is not an integer, naming file, line and column, files untouched', async () => {
    await mkdir(join(work, '6'));
    const path = statsFilePath(work, '6', 2025);
    await writeFile(
      path,
      `${HEADER}\n` +
        '2025-03-08 06:00:00+00:00;-;2025-03-01T08:00:00+01:00;-;-;4;0;0;0;0.00;-;-;-;-;-\n' +
        '2025-03-09 06:00:00+00:00;-;2025-03-01T08:00:00+01:00;-;-;abc;0;0;0;0.00;-;-;-;-;-\n',
    );
    const before = await tree(work);
    const error = await write().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenFileError);
    expect((error as Error).message).toBe(`${path}: line 3, column imported: not an integer: "abc"`);
    expect(await tree(work)).toEqual(before);
  });

  it('fails on such a counter in last year’s last row when that is the row before today’s', async () => {
    await mkdir(join(work, '6'));
    const path = statsFilePath(work, '6', 2024);
    await writeFile(
      path,
      `${HEADER}\n2024-12-31 06:00:00+00:00;-;2024-12-01T08:00:00+01:00;-;-;4;0;x1;0;0.00;-;-;-;-;-\n`,
    );
    const error = await writeNodeCollection(work, collection(), {
      now: () => new Date('2025-01-01T06:00:00Z'),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${path}: line 2, column invalid: not an integer: "x1"`);
  });

  it('fails, writing nothing, when the node folder is a link leading outside the working directory', async () => {
    await symlink(outside, join(work, '6'));
    const error = await write().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnusablePathError);
    expect((error as Error).message).toContain(
      `${join(work, '6')}: a link that leads outside the working directory`,
    );
    expect(await readdir(outside)).toEqual([]);
  });

  it('fails when its stats file or a change log is a link leading outside, leaving the link and its target as they were', async () => {
    await mkdir(join(work, '6'));
    const target = join(outside, 'stats.csv');
    await writeFile(target, `${HEADER}\n`);
    await symlink(target, statsFilePath(work, '6', 2025));
    const before = { ...(await tree(work)), ...(await tree(outside)) };
    await expect(write()).rejects.toThrow(`${statsFilePath(work, '6', 2025)}: a link that leads outside`);
    expect({ ...(await tree(work)), ...(await tree(outside)) }).toEqual(before);

    await rm(statsFilePath(work, '6', 2025));
    // A link to a file that does not exist yet: appending would create it over there.
    await symlink(join(outside, 'new.log'), join(work, '6', '6_log_versions.log'));
    await expect(write()).rejects.toThrow(UnusablePathError);
    expect(await readdir(outside)).toEqual(['stats.csv']);
  });

  it('follows links that stay inside the working directory', async () => {
    await mkdir(join(work, 'archive', '6'), { recursive: true });
    await symlink(join(work, 'archive', '6'), join(work, '6'));
    await expect(write()).resolves.toMatchObject({ nodeId: '6' });
    expect(await readdir(join(work, 'archive', '6'))).toContain('6_stats_2025.csv');
  });

  it('fails, naming the path in words, when the node folder is a file', async () => {
    await writeFile(join(work, '6'), 'not a folder');
    const error = await write().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnusablePathError);
    expect((error as Error).message).toBe(
      `${join(work, '6')}: is a file, not a node folder; move it away so that the node's files can be written`,
    );
  });
});

describe('the backup’s listing and reading', () => {
  it('skips a link leading outside the working directory, naming it, and keeps links inside', async () => {
    await mkdir(join(work, '6'));
    await writeFile(join(outside, 'else.txt'), 'outside content');
    await writeFile(join(work, '6', '6_stats_2025.csv'), `${HEADER}\n`);
    await writeFile(join(work, 'shared.txt'), 'inside content');
    await symlink(join(outside, 'else.txt'), join(work, '6', '6_extra.txt'));
    await symlink(join(work, 'shared.txt'), join(work, '6', '6_shared.txt'));
    await symlink(join(outside, 'else.txt'), join(work, '6', '6_ignored.bin'));
    const store = openStore(work);
    const listing = await store.listBackupFiles('6');
    expect(listing?.files.map((f) => f.name)).toEqual(['6_stats_2025.csv', '6_shared.txt']);
    expect(listing?.skipped).toEqual([
      {
        path: join(work, '6', '6_extra.txt'),
        reason: expect.stringContaining(
          `leads outside the working directory ${work} (to ${join(outside, 'else.txt')})`,
        ),
      },
    ]);
    await expect(store.readBackupFile('6', { name: '6_extra.txt', mediaType: 'text/plain' })).rejects.toThrow(
      UnusablePathError,
    );
  });

  it('skips a node folder that is a link leading outside', async () => {
    await writeFile(join(outside, '6_stats_2025.csv'), `${HEADER}\n`);
    await symlink(outside, join(work, '6'));
    const listing = await openStore(work).listBackupFiles('6');
    expect(listing).toEqual({ files: [], skipped: [{ path: join(work, '6'), reason: expect.any(String) }] });
  });
});

describe('the e-mail service’s sent-mail log', () => {
  it('is not appended to through a link leading outside', async () => {
    await mkdir(join(work, '6'));
    await symlink(join(outside, 'mails.log'), join(work, '6', '6_sent_mails.log'));
    await expect(openStore(work).logSentMail('6', 'OFFLINE', new Date())).rejects.toThrow(UnusablePathError);
    expect(await readdir(outside)).toEqual([]);
  });
});
