import { type ConfluenceEmulator, startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfluenceClient, createConfluenceClient } from '../src/index.js';

const flavours = [
  {
    name: 'Data Center',
    // where the client looks up and lists a page's attachments
    listPath: (pageId: string) => `/rest/api/content/${pageId}/child/attachment`,
    start: () => startConfluenceEmulator({ maxPageSize: 2 }),
    connect: (e: ConfluenceEmulator) =>
      createConfluenceClient({ url: e.url, token: e.token, retryDelayMs: 5 }),
  },
  {
    name: 'Cloud',
    listPath: (pageId: string) => `/api/v2/pages/${pageId}/attachments`,
    start: () => startConfluenceEmulator({ flavour: 'cloud', maxPageSize: 2 }),
    // the user may configure the Cloud URL with /wiki already; it must not be doubled
    connect: (e: ConfluenceEmulator) =>
      createConfluenceClient({ url: `${e.url}/wiki/`, token: e.token, email: e.email, retryDelayMs: 5 }),
  },
];

describe.each(flavours)('attachments on $name', ({ listPath, start, connect }) => {
  let emulator: ConfluenceEmulator;
  let client: ConfluenceClient;

  beforeAll(async () => {
    emulator = await start();
    client = connect(emulator);
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  const requestLog = () =>
    emulator.requests.map((r) => `${r.method} ${r.path.replace(/^\/wiki/, '')} ${r.status}`);

  it('creates an attachment, then adds a new version under the same name', async () => {
    const page = emulator.addPage({ title: 'Klinik Backup' });
    emulator.clearRequests();
    const first = await client.uploadAttachment(page.id, {
      fileName: '3_stats_2024.csv',
      content: 'date;last_contact\n',
      mediaType: 'text/csv',
      comment: 'sha256:aaa – Prüfsumme',
    });
    expect(first).toMatchObject({ fileName: '3_stats_2024.csv', version: 1, mediaType: 'text/csv' });
    expect(first.comment).toBe('sha256:aaa – Prüfsumme');
    expect(requestLog()).toEqual([
      `GET ${listPath(page.id)} 200`,
      `POST /rest/api/content/${page.id}/child/attachment 200`,
    ]);

    emulator.clearRequests();
    const second = await client.uploadAttachment(page.id, {
      fileName: '3_stats_2024.csv',
      content: Buffer.from('date;last_contact\n2024-01-01;x\n'),
      mediaType: 'text/csv',
      comment: 'sha256:bbb',
    });
    expect(second).toMatchObject({ id: first.id, version: 2, comment: 'sha256:bbb' });
    expect(requestLog()).toEqual([
      `GET ${listPath(page.id)} 200`,
      `POST /rest/api/content/${page.id}/child/attachment/${first.id}/data 200`,
    ]);
    const stored = emulator.attachments(page.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.content.toString()).toBe('date;last_contact\n2024-01-01;x\n');
  });

  it('skips the lookup when the caller knows the attachment id, or knows there is none', async () => {
    const page = emulator.addPage({ title: 'Klinik Bekannt' });
    const existing = emulator.addAttachment(page.id, {
      fileName: 'a.log',
      content: 'x',
      mediaType: 'text/plain',
    });
    emulator.clearRequests();
    const updated = await client.uploadAttachment(page.id, {
      fileName: 'a.log',
      content: 'y',
      mediaType: 'text/plain',
      existingId: existing.id,
    });
    expect(updated.version).toBe(2);
    const created = await client.uploadAttachment(page.id, {
      fileName: 'b.log',
      content: 'z',
      mediaType: 'text/plain',
      existingId: null,
    });
    expect(created.version).toBe(1);
    expect(requestLog()).toEqual([
      `POST /rest/api/content/${page.id}/child/attachment/${existing.id}/data 200`,
      `POST /rest/api/content/${page.id}/child/attachment 200`,
    ]);
  });

  it('falls back to a new version when the file name turns out to exist (400 on create)', async () => {
    const page = emulator.addPage({ title: 'Klinik Veraltet' });
    emulator.addAttachment(page.id, { fileName: 'heatmap.png', content: 'old', mediaType: 'image/png' });
    emulator.clearRequests();
    const uploaded = await client.uploadAttachment(page.id, {
      fileName: 'heatmap.png',
      content: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      mediaType: 'image/png',
      existingId: null,
    });
    expect(uploaded.version).toBe(2);
    expect(requestLog().map((line) => line.replace(/att\d+/, 'ATT'))).toEqual([
      `POST /rest/api/content/${page.id}/child/attachment 400`,
      `GET ${listPath(page.id)} 200`,
      `POST /rest/api/content/${page.id}/child/attachment/ATT/data 200`,
    ]);
    expect(emulator.attachments(page.id)[0]?.content).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it('lists every attachment with version, comment and media type across pages, and downloads one', async () => {
    const page = emulator.addPage({ title: 'Klinik Viele' });
    const names = ['1.csv', '2.csv', '3.txt', '4.log', '5.log'];
    for (const name of names) {
      emulator.addAttachment(page.id, {
        fileName: name,
        content: `inhalt ${name}`,
        mediaType: 'text/plain',
        comment: `c ${name}`,
      });
    }
    emulator.clearRequests();
    const listed = await client.listAttachments(page.id);
    expect(listed.map((a) => [a.fileName, a.version, a.comment, a.mediaType])).toEqual(
      names.map((n) => [n, 1, `c ${n}`, 'text/plain']),
    );
    expect(emulator.requests).toHaveLength(3);
    const third = listed[2];
    if (!third) throw new Error('no third attachment');
    expect((await client.downloadAttachment(third)).toString()).toBe('inhalt 3.txt');
  });
});
