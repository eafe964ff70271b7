import { describe, expect, it } from 'vitest';
import { selectBackupFiles } from '../src/backup-files.js';

describe('selectBackupFiles', () => {
  it('takes names ending in csv, then txt, then log, each group sorted, with their media types', () => {
    const files = selectBackupFiles([
      '3_sent_mails.log',
      '3_stats_2025.csv',
      '3_resource_os.txt',
      '3_errors_2025.csv',
      'tracking_OFFLINE.json',
      '.3_stats_2025.csv.4711.beef.tmp',
      '3_resource_versions.log',
    ]);
    expect(files).toEqual([
      { name: '3_errors_2025.csv', mediaType: 'text/csv' },
      { name: '3_stats_2025.csv', mediaType: 'text/csv' },
      { name: '3_resource_os.txt', mediaType: 'text/plain' },
      { name: '3_resource_versions.log', mediaType: 'text/plain' },
      { name: '3_sent_mails.log', mediaType: 'text/plain' },
    ]);
  });

  it('tests the suffix without a dot, as the original', () => {
    expect(selectBackupFiles(['exportcsv', 'changelog', 'readme.md']).map((f) => f.name)).toEqual([
      'exportcsv',
      'changelog',
    ]);
  });
});

describe('store file names', () => {
  it('names each store file and tells a name’s kind back', async () => {
    const { storeFileKind, storeFileName } = await import('../src/file-names.js');
    const files = [
      [{ kind: 'stats', node: '7', year: 2026 }, '7_stats_2026.csv'],
      [{ kind: 'errors', node: '7', year: 2026 }, '7_errors_2026.csv'],
      [{ kind: 'resource', node: '7', resource: 'import-scripts' }, '7_import-scripts.txt'],
      [{ kind: 'change-log', node: '7', resource: 'versions' }, '7_log_versions.log'],
      [{ kind: 'sent-mails', node: '7' }, '7_sent_mails.log'],
      [{ kind: 'tracking', status: 'NO IMPORTS' }, 'tracking_NO_IMPORTS.json'],
    ] as const;
    for (const [file, name] of files) {
      expect(storeFileName(file)).toBe(name);
      expect(storeFileKind(name)).toBe(file.kind);
    }
    expect(storeFileKind('.7_stats_2026.csv.123.abcdef01.tmp')).toBeUndefined();
    expect(storeFileKind('notes.txt')).toBeUndefined();
  });
});
