import { afterEach, expect, it } from 'vitest';
import { nodeLine, PARENT, startWorkspace, summaryLine, type Workspace } from './fixture.js';

// After a move from Data Center to Cloud the pages and attachments have new ids; the backup knows
// its own attachments by the hash in their comment and uploads nothing unchanged.
const workspaces: Workspace[] = [];
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((w) => w.close()));
});

const nodes = () => [
  {
    id: '3',
    commonName: 'Klinikum Drei',
    files: {
      '3_stats_2025.csv': 'date;last_contact\n2025-02-28 00:00:00;2025-02-28 05:00:00\n',
      '3_resource_versions.txt': "{'dwh-j2ee': 'dwh-j2ee-1.5.1'}",
      '3_sent_mails.log': '[2025-02-20 06:05:00] OFFLINE an x@klinik.de\n',
    },
  },
];

it('recognises the migrated attachments on Cloud by their hash and uploads nothing', async () => {
  const dc = await startWorkspace('datacenter', nodes());
  const cloud = await startWorkspace('cloud', nodes());
  workspaces.push(dc, cloud);
  dc.emulator.addPage({ title: 'Support' });
  dc.emulator.addPage({ title: PARENT, parentTitle: 'Support' });
  const dcPage = dc.emulator.addPage({ title: 'Klinikum Drei', parentTitle: PARENT });
  expect((await dc.run()).code).toBe(0);
  const backedUp = dc.emulator.attachments(dcPage.id);
  expect(backedUp).toHaveLength(3);

  // The migration: a site with pages of its own (other ids), the tree and attachments copied.
  cloud.emulator.addPage({ title: 'Willkommen' });
  cloud.emulator.addPage({ title: 'Support' });
  cloud.emulator.addPage({ title: PARENT, parentTitle: 'Support' });
  const cloudPage = cloud.emulator.addPage({ title: 'Klinikum Drei', parentTitle: PARENT });
  expect(cloudPage.id).not.toBe(dcPage.id);
  for (const attachment of backedUp) {
    cloud.emulator.addAttachment(cloudPage.id, {
      fileName: attachment.fileName,
      content: attachment.content,
      mediaType: attachment.mediaType,
      comment: attachment.comment,
    });
  }

  const result = await cloud.run();
  expect(result.code).toBe(0);
  expect(nodeLine(result, '3')).toMatchObject({ outcome: 'ok', uploaded: 0, unchanged: 3 });
  expect(summaryLine(result)).toMatchObject({ filesUploaded: 0 });
  expect(cloud.requests().filter((r) => r.startsWith('POST'))).toEqual([]);
  expect(cloud.emulator.requests.filter((r) => r.status === 410)).toEqual([]);
});
