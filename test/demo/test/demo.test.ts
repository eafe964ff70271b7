import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRawMail } from '@broker-monitor/smtp-test-server';
import { expect, it } from 'vitest';
import { runDemo } from '../src/index.js';

// About 20 s alone; over a minute while the other packages' tests load the 2-core runner.
it('runs the four apps over 60 simulated days and tells each clinic story', async () => {
  const outDir = join(await mkdtemp(join(tmpdir(), 'bm-demo-')), 'demo-output');
  const result = await runDemo({ outDir, lastDay: new Date('2026-03-20T00:00:00Z') });
  expect(result.exitCodes).toEqual({
    'node-to-csv': 0,
    'csv-to-confluence': 0,
    'email-service': 0,
    'file-backup-service': 0,
  });
  const index = await readFile(result.reportIndex, 'utf8');
  const statusOf = (name: string) => new RegExp(`${name}[\\s\\S]*?lozenge[^>]*>([A-Z ]+)<`).exec(index)?.[1];
  expect(statusOf('Klinikum Rosenau')).toBe('OFFLINE');
  expect(statusOf('Klinikum Falkenbrück')).toBe('NO IMPORTS');
  expect(statusOf('Klinikum Mühlhausen')).toBe('EXTREME ERROR RATE');
  expect(statusOf('Klinikum Weißenfeld')).toBe('TESTING');
  expect(statusOf('Klinikum Nordstadt')).toBe('ONLINE');
  // The clinic whose interface lets a tenth through since day 53: still ONLINE, with the note.
  expect(statusOf('Klinikum Schönau')).toBe('ONLINE');
  const schoenau = await readFile(join(outDir, 'report', 'node-23.html'), 'utf8');
  expect(
    /class="import_note">(Importe auffällig niedrig: \d+ statt üblich \d+)</.exec(schoenau)?.[1],
  ).toBeDefined();
  expect(index).toMatch(
    /Klinikum Schönau[\s\S]*?<td class="note">Importe auffällig niedrig: \d+ statt üblich \d+<\/td>/,
  );
  const nordstadt = await readFile(join(outDir, 'report', 'node-1.html'), 'utf8');
  expect(nordstadt).not.toContain('import_note');
  expect(/class="availability_30">([^<]+)</.exec(nordstadt)?.[1]).toBe('100,0 %');
  expect(
    (await readdir(result.outbox)).map((name) => name.replace(/_\d{8}T\d{6}Z\.eml$/, '')).sort(),
  ).toEqual([
    '10_DWH_OUTDATED',
    '15_OFFLINE',
    '18_DWH_OUTDATED',
    '20_NO_IMPORTS',
    '5_OFFLINE',
    '7_NO_IMPORTS',
    'digest',
  ]);
  // Clinic 25 went OFFLINE inside its maintenance window: held back, no mail in the outbox
  // (checked above), and the digest names the window.
  const mailerLog = (await readFile(join(outDir, 'logs', 'email-service.log'), 'utf8'))
    .trim()
    .split('\n')
    // `silence add` prints the new id between the JSON lines.
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(mailerLog.find((line) => line.node === '25')).toMatchObject({
    status: 'OFFLINE',
    mails: [],
    suppressed: [{ status: 'OFFLINE', reason: 'DWH-Migration' }],
  });
  const digestFile = (await readdir(result.outbox)).find((name) => name.startsWith('digest_')) ?? '';
  const digest = await parseRawMail(await readFile(join(result.outbox, digestFile)));
  expect(digest.to).toEqual(['it-team@aktin.example']);
  expect(digest.text).toContain('- [25] Klinikum Ährenfeld: OFFLINE seit ');
  expect(digest.text).toMatch(
    /- \[25\] Klinikum Ährenfeld: 15\.03\.2026 – 23\.03\.2026, aktiv, begonnen am 15\.03\.2026 – DWH-Migration \(\S+\)/,
  );
  const rows = (await readFile(join(outDir, 'working', '3', '3_stats_2026.csv'), 'utf8')).trim().split('\n');
  // Header and one row per simulated day: the DWH restart on day 30 breaks no day.
  expect(rows).toHaveLength(61);
  expect(rows[31]?.split(';').slice(10)).toEqual(['-', '-', '-', '-', '-']);
}, 120_000);
