import { describe, expect, it } from 'vitest';
import { selectBackupFiles } from '../src/node-files.js';

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
