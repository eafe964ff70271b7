import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { writeNodeCollection } from '../src/collection.js';
import { BrokenFileError, InvalidNodeIdError, InvalidStatisticsError } from '../src/errors.js';
import {
  appendLines,
  errorsFilePath,
  isValidNodeId,
  listNodeFolders,
  nodeFolderPath,
  readErrorRows,
  readResource,
  readStatsRows,
  resourceFilePath,
  resourceLogPath,
  statsFilePath,
  syncFolder,
  writeFileAtomic,
} from '../src/files.js';
import { type ImportStatistics, type NodeCollection, STATS_COLUMNS } from '../src/types.js';
import { importStatistics } from './statistics.js';

const scratch = await mkdtemp(join(tmpdir(), 'csv-store-files-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let work = '';
let runs = 0;
beforeEach(async () => {
  runs += 1;
  work = join(scratch, String(runs));
  await mkdir(work);
});

const HEADER = `${STATS_COLUMNS.join(';')}\n`;

const stats = (overrides: Partial<ImportStatistics> = {}): ImportStatistics =>
  importStatistics({
    errors: [{ timestamp: '2025-03-09T10:00:00+01:00', repeats: null, content: 'x; "y"' }],
    ...overrides,
  });

const collection = (overrides: Partial<NodeCollection> = {}): NodeCollection => ({
  nodeId: '7',
  lastContact: '2025-03-10T05:00:00Z',
  stats: stats(),
  resources: { versions: [['os', 'Ubuntu']], rscript: null, python: [], 'import-scripts': [['p21', '1.5']] },
  ...overrides,
});

const at = (iso: string) => () => new Date(iso);

async function files(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      result[join(entry.parentPath, entry.name).slice(dir.length + 1)] = await readFile(
        join(entry.parentPath, entry.name),
        'utf8',
      );
  }
  return result;
}

describe('node ids and paths', () => {
  it.each(['1', '42', '0007', '1234567890123456789'])('accepts %j', (id) => {
    expect(isValidNodeId(id)).toBe(true);
    expect(statsFilePath('/w', id, 2025)).toBe(`/w/${id}/${id}_stats_2025.csv`);
  });

  it.each(['', '../x', '1/2', '..', '1 ', '-1', '1.5', 'a', '１', '12345678901234567890', '1\n'])(
    'rejects %j',
    (id) => {
      expect(isValidNodeId(id)).toBe(false);
      expect(() => nodeFolderPath('/w', id)).toThrow(InvalidNodeIdError);
      expect(() => resourceLogPath('/w', id, 'versions')).toThrow(InvalidNodeIdError);
    },
  );

  it('names the files as the original does', () => {
    expect(errorsFilePath('/w', '3', 2024)).toBe('/w/3/3_errors_2024.csv');
    expect(resourceFilePath('/w', '3', 'import-scripts')).toBe('/w/3/3_import-scripts.txt');
    expect(resourceLogPath('/w', '3', 'rscript')).toBe('/w/3/3_log_rscript.log');
  });
});

describe('reading the store', () => {
  it('returns undefined for files that do not exist', async () => {
    expect(await readStatsRows(work, '1', 2025)).toBeUndefined();
    expect(await readErrorRows(work, '1', 2025)).toBeUndefined();
    expect(await readResource(work, '1', 'versions')).toBeUndefined();
  });

  it('reads files the Python version wrote', async () => {
    await mkdir(join(work, '1'));
    await writeFile(
      statsFilePath(work, '1', 2022),
      `${HEADER}2022-01-01 12:00:00+0100;2022-01-01T10:59:00Z;2021-12-01T08:00:00+01:00;-;-;10;0;0;0;0.00;-;-;-;-;-\n`,
    );
    await writeFile(
      errorsFilePath(work, '1', 2022),
      'timestamp;repeats;content\n2022-01-01T10:00:00+01:00;2;"a\nb"\n',
    );
    await writeFile(resourceFilePath(work, '1', 'versions'), '{"2": "b", "1": "\\u00e4"}');
    expect((await readStatsRows(work, '1', 2022))?.map((row) => [row.date, row.imported])).toEqual([
      ['2022-01-01 12:00:00+0100', '10'],
    ]);
    expect(await readErrorRows(work, '1', 2022)).toEqual([
      { timestamp: '2022-01-01T10:00:00+01:00', repeats: '2', content: 'a\nb' },
    ]);
    expect(await readResource(work, '1', 'versions')).toEqual([
      ['2', 'b'],
      ['1', 'ä'],
    ]);
  });

  it.each<[string, string | Buffer]>([
    ['empty', ''],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['broken', '{"a": '],
  ])('names a resource file that is %s', async (_, content) => {
    await mkdir(join(work, '1'));
    const path = resourceFilePath(work, '1', 'python');
    await writeFile(path, content);
    const read = readResource(work, '1', 'python');
    await expect(read).rejects.toThrow(BrokenFileError);
    await expect(readResource(work, '1', 'python')).rejects.toThrow(path);
  });

  it('names a stats file that is empty', async () => {
    await mkdir(join(work, '1'));
    await writeFile(statsFilePath(work, '1', 2025), '');
    await expect(readStatsRows(work, '1', 2025)).rejects.toThrow(
      `${statsFilePath(work, '1', 2025)}: the file is empty`,
    );
  });

  it('lists node folders in numeric order, nothing else', async () => {
    for (const name of ['10', '2', '1', '.broker-monitor', 'report', 'abc', '1a'])
      await mkdir(join(work, name));
    await writeFile(join(work, '3'), 'a file, not a folder');
    await writeFile(join(work, 'tracking_OFFLINE.json'), '{}');
    expect(await listNodeFolders(work)).toEqual(['1', '2', '10']);
  });
});

describe('writing files', () => {
  it('replaces a file atomically and leaves no temporary file', async () => {
    const path = join(work, 'a.csv');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two ä');
    expect(await readFile(path, 'utf8')).toBe('two ä');
    expect(await readdir(work)).toEqual(['a.csv']);
  });

  it('removes its temporary file when the rename fails', async () => {
    const path = join(work, 'folder.csv');
    await mkdir(path);
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow();
    expect(await readdir(work)).toEqual(['folder.csv']);
  });

  it('appends lines, each ending in \\n, and creates nothing for no lines', async () => {
    const path = join(work, 'x.log');
    await appendLines(path, []);
    expect(await readdir(work)).toEqual([]);
    await appendLines(path, ['a', 'b\rc']);
    await appendLines(path, ['d']);
    expect(await readFile(path, 'utf8')).toBe('a\nb\rc\nd\n');
  });

  it('syncs a folder', async () => {
    await expect(syncFolder(work)).resolves.toBeUndefined();
  });
});

describe('writeNodeCollection', () => {
  it('writes a first run like the original: stats, errors, snapshots, no logs', async () => {
    const result = await writeNodeCollection(work, collection(), { now: at('2025-03-10T06:00:00.250Z') });
    expect(await files(work)).toEqual({
      '7/7_stats_2025.csv': `${HEADER}2025-03-10 06:00:00.250000+00:00;2025-03-10T05:00:00Z;2025-03-01T08:00:00+01:00;-;-;10;0;0;0;0.00;-;-;-;-;-\n`,
      '7/7_errors_2025.csv': 'timestamp;repeats;content\n2025-03-09T10:00:00+01:00;1;"x; ""y"""\n',
      '7/7_versions.txt': '{"os": "Ubuntu"}',
      '7/7_rscript.txt': '{}',
      '7/7_python.txt': '{}',
      '7/7_import-scripts.txt': '{"p21": "1.5"}',
    });
    expect(result.nodeId).toBe('7');
    expect(result.statsRow?.date).toBe('2025-03-10 06:00:00.250000+00:00');
    expect(result.errorsAdded).toBe(1);
    expect(result.resourceChanges).toEqual({ versions: 0, rscript: 0, python: 0, 'import-scripts': 0 });
    expect(result.filesWritten).toHaveLength(6);
  });

  it('takes documents with absent optional fields and numeric counters, as a broker client reads them', async () => {
    const fromClient = {
      start: '2025-03-01T08:00:00+01:00',
      imported: 5,
      updated: 0,
      invalid: 1,
      failed: 0,
      errors: [{ timestamp: '2025-03-09T10:00:00+01:00', content: 'once' }],
    };
    const result = await writeNodeCollection(
      work,
      { nodeId: '7', stats: fromClient, resources: collection().resources },
      { now: at('2025-03-10T06:00:00Z') },
    );
    expect(result.statsRow).toMatchObject({
      last_contact: '-',
      last_write: '-',
      last_reject: '-',
      error_rate: '16.67',
    });
    expect(await readErrorRows(work, '7', 2025)).toEqual([
      { timestamp: '2025-03-09T10:00:00+01:00', repeats: '1', content: 'once' },
    ]);
  });

  it('stores resources but no stats or error row when the stats are 404', async () => {
    const result = await writeNodeCollection(work, collection({ stats: null }), {
      now: at('2025-03-10T06:00:00Z'),
    });
    expect(Object.keys(await files(work)).sort()).toEqual([
      '7/7_import-scripts.txt',
      '7/7_python.txt',
      '7/7_rscript.txt',
      '7/7_versions.txt',
    ]);
    expect(result.statsRow).toBeUndefined();
    expect(result.errorsAdded).toBe(0);
  });

  it('appends the change log before it replaces the snapshot, and rewrites only what changed', async () => {
    await writeNodeCollection(work, collection(), { now: at('2025-03-10T06:00:00Z') });
    const unchangedSince = (await stat(resourceFilePath(work, '7', 'import-scripts'))).mtimeMs;
    const result = await writeNodeCollection(
      work,
      collection({
        resources: {
          versions: [['os', 'Debian']],
          rscript: null,
          python: [],
          'import-scripts': [['p21', '1.5']],
        },
      }),
      { now: at('2025-03-11T06:00:00Z') },
    );
    expect(result.filesWritten).toEqual([
      statsFilePath(work, '7', 2025),
      resourceLogPath(work, '7', 'versions'),
      resourceFilePath(work, '7', 'versions'),
    ]);
    expect(result.resourceChanges.versions).toBe(1);
    expect(result.errorsAdded).toBe(0);
    expect(await readFile(resourceLogPath(work, '7', 'versions'), 'utf8')).toBe(
      '2025-03-11 06:00:00+00:00 : [os] Ubuntu --> Debian\n',
    );
    expect((await stat(resourceFilePath(work, '7', 'import-scripts'))).mtimeMs).toBe(unchangedSince);
    expect((await readdir(join(work, '7'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.each(['../x', '1/2', '', '..'])('refuses the node id %j and writes nothing', async (nodeId) => {
    await expect(
      writeNodeCollection(work, collection({ nodeId }), { now: at('2025-03-10T06:00:00Z') }),
    ).rejects.toThrow(InvalidNodeIdError);
    expect(await readdir(work)).toEqual([]);
    expect(await readdir(scratch)).not.toContain('x');
  });

  async function expectFailureLeavesFilesUntouched(
    prepare: () => Promise<void>,
    next: NodeCollection,
    errorType: typeof BrokenFileError | typeof InvalidStatisticsError,
    message: string,
  ) {
    await writeNodeCollection(work, collection(), { now: at('2025-03-10T06:00:00Z') });
    await prepare();
    const before = await files(work);
    const write = writeNodeCollection(work, next, { now: at('2025-03-11T06:00:00Z') });
    await expect(write).rejects.toThrow(errorType);
    await expect(writeNodeCollection(work, next, { now: at('2025-03-11T06:00:00Z') })).rejects.toThrow(
      message,
    );
    expect(await files(work)).toEqual(before);
  }

  it.each<[string, (workingDir: string) => string, string]>([
    ['an empty errors CSV, naming it, with all files untouched', (w) => errorsFilePath(w, '7', 2025), ''],
    [
      'a broken snapshot, naming it, with the stats untouched',
      (w) => resourceFilePath(w, '7', 'python'),
      '{"a": 1}',
    ],
    ['a stats CSV with a wrong header', (w) => statsFilePath(w, '7', 2025), 'date;imported\n'],
  ])('fails on %s', async (_file, pathIn, content) => {
    const path = pathIn(work);
    await expectFailureLeavesFilesUntouched(
      () => writeFile(path, content),
      collection(),
      BrokenFileError,
      path,
    );
  });

  it('fails on counters that are no integers, with all files untouched', async () => {
    await expectFailureLeavesFilesUntouched(
      async () => {},
      collection({ stats: stats({ failed: 'many' }) }),
      InvalidStatisticsError,
      'failed',
    );
  });

  it('refuses a file that is not valid UTF-8, and reads one holding U+FFFD or a byte order mark', async () => {
    const row = '2025-03-09 06:00:00+00:00;-;2025-03-01T08:00:00+01:00;-;-;4;0;0;0;0.00;-;-;-;-;-\n';
    const now = at('2025-03-10T06:00:00Z');
    await mkdir(join(work, '7'));
    const txt = resourceFilePath(work, '7', 'versions');
    await writeFile(statsFilePath(work, '7', 2025), `${HEADER}${row}`);
    await writeFile(txt, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    await expect(writeNodeCollection(work, collection(), { now })).rejects.toThrow(
      new BrokenFileError(txt, 'the file is not valid UTF-8'),
    );
    // A replacement character written as such is text like any other; the mark is no part of it.
    await writeFile(txt, '{"os": "Ubuntu \uFFFD"}');
    await writeFile(statsFilePath(work, '7', 2025), `\uFEFF${HEADER}${row}`);
    const result = await writeNodeCollection(work, collection(), { now });
    expect(result.statsRow?.daily_imported).toBe('6');
    expect(result.resourceChanges.versions).toBe(1);
    expect(await readFile(resourceLogPath(work, '7', 'versions'), 'utf8')).toContain('Ubuntu \uFFFD');
  });

  it("reads last year's file only when it is needed", async () => {
    await mkdir(join(work, '7'));
    await writeFile(statsFilePath(work, '7', 2024), 'broken');
    await writeFile(
      statsFilePath(work, '7', 2025),
      `${HEADER}2025-03-09 06:00:00+00:00;-;2025-03-01T08:00:00+01:00;-;-;4;0;0;0;0.00;-;-;-;-;-\n`,
    );
    const result = await writeNodeCollection(work, collection(), { now: at('2025-03-10T06:00:00Z') });
    expect(result.statsRow?.daily_imported).toBe('6');
    await writeFile(statsFilePath(work, '7', 2025), HEADER);
    await expect(
      writeNodeCollection(work, collection(), { now: at('2025-03-10T06:00:00Z') }),
    ).rejects.toThrow(statsFilePath(work, '7', 2024));
  });

  it('writes nodes concurrently without getting in each other’s way', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => String(i + 1));
    await Promise.all(
      ids.map((nodeId) =>
        writeNodeCollection(work, collection({ nodeId }), { now: at('2025-03-10T06:00:00Z') }),
      ),
    );
    expect(await listNodeFolders(work)).toEqual(ids);
    for (const id of ids) expect(await readStatsRows(work, id, 2025)).toHaveLength(1);
  });
});
