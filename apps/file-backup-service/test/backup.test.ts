import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatedPage } from '@broker-monitor/confluence-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { confluenceCalls, titleLookups } from './confluence-calls.js';
import {
  flavours,
  nodeLine,
  PARENT,
  startWorkspace,
  summaryLine,
  type TestNode,
  type Workspace,
} from './fixture.js';

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** Two nodes with the store's usual files, and a third one that has no folder. */
const nodes = (): TestNode[] => [
  {
    id: '3',
    commonName: 'Klinikum Drei',
    files: {
      '3_stats_2024.csv': 'date;last_contact\n2024-12-31 00:00:00;2024-12-31 05:00:00\n',
      '3_stats_2025.csv': 'date;last_contact\n2025-02-28 00:00:00;2025-02-28 05:00:00\n',
      '3_errors_2025.csv': 'timestamp;repeats;content\n',
      '3_resource_versions.txt': "{'dwh-j2ee': 'dwh-j2ee-1.5.1'}",
      '3_resource_versions.log': '[2025-02-28 06:00:00] dwh-j2ee: 1.5 -> 1.5.1\n',
      '3_sent_mails.log': '[2025-02-20 06:05:00] OFFLINE an x@klinik.de\n',
      'Prüfbericht ü.txt': 'Umlaute: äöüß\n',
      // not backed up: a temporary file of the store, other suffixes
      '.3_stats_2025.csv.4711.beef.tmp': 'half',
      'notes.json': '{}',
    },
  },
  {
    id: '12',
    commonName: 'Klinikum Zwölf',
    files: { '12_stats_2025.csv': 'date;last_contact\n', '12_resource_os.txt': '{}' },
  },
  { id: '7', commonName: 'Klinikum Sieben' },
];

function seedPages(workspace: Workspace, titles: string[]): Map<string, EmulatedPage> {
  const { emulator } = workspace;
  emulator.addPage({ title: 'Support' });
  emulator.addPage({ title: PARENT, parentTitle: 'Support' });
  return new Map(titles.map((title) => [title, emulator.addPage({ title, parentTitle: PARENT })]));
}

describe.each(flavours)('backup on $name', ({ flavour }) => {
  let workspace: Workspace;
  afterEach(async () => {
    await workspace.close();
  });

  it('uploads every csv, txt and log file with its media type and hash; a node without folder is a warning', async () => {
    workspace = await startWorkspace(flavour, nodes());
    const pages = seedPages(workspace, ['Klinikum Drei', 'Klinikum Zwölf', 'Klinikum Sieben']);
    // A subfolder and the app's own state are no node files.
    await mkdir(join(workspace.working, '3', 'archiv.csv'));
    await mkdir(join(workspace.working, '.broker-monitor'), { recursive: true });
    await writeFile(join(workspace.working, '.broker-monitor', 'state.csv'), 'x');

    const result = await workspace.run();

    expect(result.code).toBe(0);
    const drei = pages.get('Klinikum Drei') as EmulatedPage;
    const attachments = workspace.emulator.attachments(drei.id);
    const byName = Object.fromEntries(attachments.map((a) => [a.fileName, a]));
    expect(Object.keys(byName).sort()).toEqual([
      '3_errors_2025.csv',
      '3_resource_versions.log',
      '3_resource_versions.txt',
      '3_sent_mails.log',
      '3_stats_2024.csv',
      '3_stats_2025.csv',
      'Prüfbericht ü.txt',
    ]);
    for (const attachment of attachments) {
      const onDisk = await readFile(join(workspace.working, '3', attachment.fileName));
      expect(attachment.content.equals(onDisk)).toBe(true);
      expect(attachment.comment).toBe(`sha256:${sha256(onDisk)}`);
      expect(attachment.version).toBe(1);
      expect(attachment.mediaType).toBe(attachment.fileName.endsWith('.csv') ? 'text/csv' : 'text/plain');
    }
    const zwoelf = workspace.emulator.attachments((pages.get('Klinikum Zwölf') as EmulatedPage).id);
    expect(zwoelf.map((a) => [a.fileName, a.mediaType]).sort()).toEqual([
      ['12_resource_os.txt', 'text/plain'],
      ['12_stats_2025.csv', 'text/csv'],
    ]);

    expect(nodeLine(result, '3')).toMatchObject({ outcome: 'ok', uploaded: 7, unchanged: 0, failed: 0 });
    expect(nodeLine(result, '12')).toMatchObject({ outcome: 'ok', uploaded: 2, unchanged: 0 });
    expect(nodeLine(result, '7')).toMatchObject({
      outcome: 'warning',
      reason: expect.stringContaining('no folder'),
    });
    expect(summaryLine(result)).toMatchObject({
      ok: 2,
      warning: 1,
      failed: 0,
      filesUploaded: 9,
      exitCode: 0,
    });
    expect(result.stdout).not.toContain(workspace.emulator.token);
  });

  it('uploads nothing on a second run with unchanged files: one children listing, one attachment listing per page', async () => {
    workspace = await startWorkspace(flavour, nodes());
    const pages = seedPages(workspace, ['Klinikum Drei', 'Klinikum Zwölf']);
    expect((await workspace.run()).code).toBe(0);
    workspace.emulator.clearRequests();

    const second = await workspace.run();

    expect(second.code).toBe(0);
    const parent = workspace.emulator.findPage(PARENT) as EmulatedPage;
    const calls = confluenceCalls(flavour);
    expect(workspace.requests().sort()).toEqual(
      [
        ...calls.start,
        calls.titleLookup,
        ...calls.children(parent.id),
        calls.attachments(pages.get('Klinikum Drei')?.id ?? ''),
        calls.attachments(pages.get('Klinikum Zwölf')?.id ?? ''),
      ].sort(),
    );
    expect(nodeLine(second, '3')).toMatchObject({ outcome: 'ok', uploaded: 0, unchanged: 7 });
    expect(summaryLine(second)).toMatchObject({ filesUploaded: 0, filesUnchanged: 9 });
  });

  it('uploads a changed file as exactly one new version of its attachment', async () => {
    workspace = await startWorkspace(flavour, nodes());
    const pages = seedPages(workspace, ['Klinikum Drei', 'Klinikum Zwölf']);
    expect((await workspace.run()).code).toBe(0);
    const pageId = (pages.get('Klinikum Drei') as EmulatedPage).id;
    const before = workspace.emulator.attachments(pageId).find((a) => a.fileName === '3_stats_2025.csv');
    const file = join(workspace.working, '3', '3_stats_2025.csv');
    await appendFile(file, '2025-03-01 00:00:00;2025-03-01 05:00:00\n');
    workspace.emulator.clearRequests();

    const result = await workspace.run();

    expect(result.code).toBe(0);
    expect(workspace.requests().filter((r) => r.startsWith('POST'))).toEqual([
      `POST /rest/api/content/${pageId}/child/attachment/${before?.id}/data`,
    ]);
    const after = workspace.emulator.attachments(pageId);
    const changed = after.find((a) => a.fileName === '3_stats_2025.csv');
    expect(changed).toMatchObject({ id: before?.id, version: 2, mediaType: 'text/csv' });
    expect(changed?.content.equals(await readFile(file))).toBe(true);
    expect(changed?.comment).toBe(`sha256:${sha256(await readFile(file))}`);
    expect(after.filter((a) => a.version === 1)).toHaveLength(6);
    expect(nodeLine(result, '3')).toMatchObject({ uploaded: 1, unchanged: 6 });
  });

  it('gives attachments of the Python version (no hash, every file text/csv) one new version, then leaves them', async () => {
    workspace = await startWorkspace(flavour, [
      {
        id: '5',
        commonName: 'Klinikum Fünf',
        files: { '5_resource_os.txt': '{}', '5_stats_2025.csv': 'date\n' },
      },
    ]);
    const page = seedPages(workspace, ['Klinikum Fünf']).get('Klinikum Fünf') as EmulatedPage;
    workspace.emulator.addAttachment(page.id, {
      fileName: '5_resource_os.txt',
      content: '{}',
      mediaType: 'text/csv',
    });
    workspace.emulator.addAttachment(page.id, {
      fileName: '5_stats_2025.csv',
      content: 'date\n',
      mediaType: 'text/csv',
    });

    expect((await workspace.run()).code).toBe(0);
    const migrated = workspace.emulator.attachments(page.id);
    expect(migrated.map((a) => [a.fileName, a.version, a.mediaType]).sort()).toEqual([
      ['5_resource_os.txt', 2, 'text/plain'],
      ['5_stats_2025.csv', 2, 'text/csv'],
    ]);
    workspace.emulator.clearRequests();
    const again = await workspace.run();
    expect(nodeLine(again, '5')).toMatchObject({ uploaded: 0, unchanged: 2 });
    expect(workspace.requests().filter((r) => r.startsWith('POST'))).toEqual([]);
  });

  it('warns about a node without a page, finds a page outside the parent by its title, exit 0', async () => {
    workspace = await startWorkspace(flavour, [
      { id: '1', commonName: 'Klinikum Eins', files: { '1_stats_2025.csv': 'date\n' } },
      { id: '2', commonName: 'Klinikum Zwei', files: { '2_stats_2025.csv': 'date\n' } },
      { id: '4', commonName: 'Klinikum Vier', files: { '4_stats_2025.csv': 'date\n' } },
    ]);
    seedPages(workspace, ['Klinikum Eins']);
    // moved by someone: not under the parent page any more
    const moved = workspace.emulator.addPage({ title: 'Klinikum Vier' });

    const result = await workspace.run();

    expect(result.code).toBe(0);
    expect(nodeLine(result, '1')).toMatchObject({ outcome: 'ok', uploaded: 1 });
    expect(nodeLine(result, '2')).toMatchObject({
      outcome: 'warning',
      reason: 'no page "Klinikum Zwei" in space AKTIN',
    });
    expect(nodeLine(result, '4')).toMatchObject({ outcome: 'ok', uploaded: 1, pageId: moved.id });
    expect(workspace.emulator.attachments(moved.id).map((a) => a.fileName)).toEqual(['4_stats_2025.csv']);
    // one title lookup for the parent and one for each page not under it
    expect(titleLookups(workspace.emulator)).toBe(3);
    expect(summaryLine(result)).toMatchObject({ ok: 2, warning: 1, failed: 0, exitCode: 0 });
  });

  it('fails only the node whose upload gets HTTP 500; the others are backed up, exit 1', async () => {
    workspace = await startWorkspace(flavour, nodes());
    const pages = seedPages(workspace, ['Klinikum Drei', 'Klinikum Zwölf']);
    const broken = (pages.get('Klinikum Zwölf') as EmulatedPage).id;
    workspace.emulator.addFault({
      method: 'POST',
      path: new RegExp(`^/rest/api/content/${broken}/child/attachment`),
      status: 500,
    });

    const result = await workspace.run();

    expect(result.code).toBe(1);
    expect(workspace.emulator.attachments(broken)).toEqual([]);
    expect(workspace.emulator.attachments((pages.get('Klinikum Drei') as EmulatedPage).id)).toHaveLength(7);
    expect(nodeLine(result, '3')).toMatchObject({ outcome: 'ok', uploaded: 7 });
    expect(nodeLine(result, '12')).toMatchObject({
      outcome: 'failed',
      uploaded: 0,
      failed: 2,
      failedFiles: ['12_stats_2025.csv', '12_resource_os.txt'],
    });
    const fileErrors = result.lines.filter((line) => line.node === '12' && typeof line.file === 'string');
    expect(fileErrors.map((line) => line.reason)).toEqual([
      expect.stringContaining('HTTP 500'),
      expect.stringContaining('HTTP 500'),
    ]);
    // retried: 3 attempts per file
    expect(
      workspace.requests().filter((r) => r.startsWith(`POST /rest/api/content/${broken}/`)),
    ).toHaveLength(6);
    expect(summaryLine(result)).toMatchObject({ ok: 1, warning: 1, failed: 1, filesFailed: 2, exitCode: 1 });

    // The next run after the fault is gone backs up what was left.
    workspace.emulator.clearFaults();
    const next = await workspace.run();
    expect(next.code).toBe(0);
    expect(nodeLine(next, '12')).toMatchObject({ outcome: 'ok', uploaded: 2 });
    expect(nodeLine(next, '3')).toMatchObject({ outcome: 'ok', uploaded: 0, unchanged: 7 });
  });

  it('fails a node whose attachment listing fails, without uploading its files', async () => {
    workspace = await startWorkspace(flavour, nodes());
    const pages = seedPages(workspace, ['Klinikum Drei', 'Klinikum Zwölf']);
    const broken = (pages.get('Klinikum Drei') as EmulatedPage).id;
    workspace.emulator.failPage(broken, { status: 503 });

    const result = await workspace.run();

    expect(result.code).toBe(1);
    expect(nodeLine(result, '3')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('HTTP 503'),
    });
    expect(nodeLine(result, '12')).toMatchObject({ outcome: 'ok', uploaded: 2 });
    expect(workspace.requests().filter((r) => r.startsWith(`POST /rest/api/content/${broken}/`))).toEqual([]);
  });

  it('exits 3 naming the token when Confluence refuses it, and uploads nothing', async () => {
    workspace = await startWorkspace(flavour, nodes());
    seedPages(workspace, ['Klinikum Drei', 'Klinikum Zwölf']);
    await workspace.writeConfig({ TOKEN: 'revoked-token-4711' });

    const result = await workspace.run();

    expect(result.code).toBe(3);
    const key = flavour === 'cloud' ? 'CONFLUENCE.EMAIL and CONFLUENCE.TOKEN' : 'CONFLUENCE.TOKEN';
    expect(result.stdout).toContain(`(check ${key})`);
    expect(result.stdout).toContain('HTTP 401');
    expect(result.stdout + result.stderr).not.toContain('revoked-token-4711');
    expect(workspace.requests()).toEqual([confluenceCalls(flavour).first]);
  });

  it('exits 3 naming the URL when Confluence is unreachable', async () => {
    workspace = await startWorkspace(flavour, nodes());
    const closed = workspace.emulator.url;
    await workspace.emulator.close();

    const result = await workspace.run();

    expect(result.code).toBe(3);
    expect(result.stdout).toContain('(check CONFLUENCE.URL)');
    expect(result.stdout).toContain(closed.replace(/^https?:\/\//, ''));
  });

  it('exits 3 naming the space when it has neither the parent page nor any node page', async () => {
    workspace = await startWorkspace(flavour, nodes());
    seedPages(workspace, ['Klinikum Drei']);
    await workspace.writeConfig({ SPACE: 'NOPE' });

    const result = await workspace.run();

    expect(result.code).toBe(3);
    expect(result.stdout).toContain('(check CONFLUENCE.SPACE)');
    expect(workspace.requests().filter((r) => r.startsWith('POST'))).toEqual([]);
  });

  it('uploads concurrently, never more than CONFLUENCE.CONCURRENCY at once', async () => {
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`9_file_${i}.log`, `line ${i}\n`]));
    workspace = await startWorkspace(flavour, [{ id: '9', commonName: 'Klinikum Neun', files }]);
    const page = seedPages(workspace, ['Klinikum Neun']).get('Klinikum Neun') as EmulatedPage;
    await workspace.writeConfig({ CONCURRENCY: 3 });
    // Slow uploads, so that the ones in flight overlap.
    workspace.emulator.addFault({ method: 'POST', delayMs: 40 });
    workspace.emulator.clearRequests();

    const result = await workspace.run();

    expect(result.code).toBe(0);
    expect(workspace.emulator.attachments(page.id)).toHaveLength(8);
    expect(workspace.emulator.peakConcurrency).toBe(3);
  });
});
