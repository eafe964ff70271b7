import { readFile, rm, writeFile } from 'node:fs/promises';
import { type ConfluenceEmulator, startConfluenceEmulator } from '@broker-monitor/confluence-emulator';
import { readStoredPage } from '@broker-monitor/page-render';
import { afterEach, expect, it } from 'vitest';
import { writeNoteAsPerson } from './person.js';
import { DAILY, dayRows, makeSetup, outcomeOf, runReporter, type Setup, writeNode } from './store.js';

// A site moved from Data Center to Cloud: every page has a new id and a body Cloud converted
// (macros get ac:local-id); the next run continues the pages found by title under the parent.
const NOW = new Date('2025-06-15T06:30:00Z');
const END = new Date('2025-06-15T06:00:00Z');
const PARENT = 'Support Log Broker-Monitor';
const nodeName = (id: string) => `[${id}] Klinikum ${id}`;

const emulators: ConfluenceEmulator[] = [];
const setups: Setup[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
  await Promise.all(setups.splice(0).map((s) => rm(s.dir, { recursive: true, force: true })));
});

/** Copies the pages (titles, tree, bodies, version numbers) into a new site; the ids change. */
function migrate(
  from: ConfluenceEmulator,
  to: ConfluenceEmulator,
  edit: (title: string, body: string) => string,
) {
  const titleOf = new Map(from.pages().map((p) => [p.id, p.title]));
  const byDepth = [...from.pages()].sort((a, b) => depth(from, a.id) - depth(from, b.id));
  for (const page of byDepth) {
    to.addPage({
      title: page.title,
      body: edit(page.title, page.body),
      ...(page.parentId === undefined ? {} : { parentTitle: titleOf.get(page.parentId) ?? '' }),
      version: page.version,
      versionMessage: page.versionMessage,
    });
  }
}

function depth(emulator: ConfluenceEmulator, id: string | undefined): number {
  const parent = id === undefined ? undefined : emulator.page(id)?.parentId;
  return parent === undefined ? 0 : 1 + depth(emulator, parent);
}

it('continues the migrated pages on Cloud: found by title, online_since and Notizen kept, no duplicate, no removed v1 request', async () => {
  const dc = await startConfluenceEmulator();
  const cloud = await startConfluenceEmulator({ flavour: 'cloud' });
  emulators.push(dc, cloud);
  dc.addPage({ title: 'Support' });
  const mapping = Object.fromEntries(
    ['1', '2', '3'].map((id) => [id, { COMMON_NAME: nodeName(id), IMPORT_INTERFACE: 'HL7' }]),
  );
  const setup = await makeSetup({ mapping, confluence: { url: dc.url, token: dc.token } });
  setups.push(setup);
  for (const id of Object.keys(mapping)) {
    await writeNode(setup.working, {
      id,
      rows: dayRows({ end: END, days: 30, day: (age) => (age === 0 ? { daily: DAILY } : undefined) }),
    });
  }
  expect((await runReporter(NOW, [setup.configPath])).code).toBe(0);

  // Before the move a person wrote a note on node 1's page.
  const note = '<p>Server-Umzug im Juli.</p>';
  await writeNoteAsPerson(dc, nodeName('1'), note);

  // The Cloud site has a page of its own already, so no id is the same as on Data Center.
  cloud.addPage({ title: 'Willkommen' });
  // The migration: new ids, converted bodies; node 2's monitoring start predates this data.
  migrate(dc, cloud, (title, body) =>
    title === nodeName('2')
      ? body.replace(/(<td class="online_since"><time datetime=")[0-9-]+/, '$12019-05-01')
      : body,
  );
  const idsBefore = new Map(cloud.pages().map((p) => [p.title, p.id]));
  idsBefore.delete('Willkommen');
  expect(idsBefore.get(PARENT)).not.toBe(dc.findPage(PARENT)?.id);

  // The one config change: URL and token of the Cloud site, and its account's e-mail.
  const config = await readFile(setup.configPath, 'utf8');
  await writeFile(
    setup.configPath,
    config
      .replace(
        `URL = ${JSON.stringify(dc.url)}`,
        `URL = ${JSON.stringify(cloud.url)}\nEMAIL = ${JSON.stringify(cloud.email)}`,
      )
      .replace(`TOKEN = ${JSON.stringify(dc.token)}`, `TOKEN = ${JSON.stringify(cloud.token)}`),
  );
  const run = await runReporter(NOW, [setup.configPath]);
  expect(run.code).toBe(0);
  for (const id of Object.keys(mapping)) expect(outcomeOf(run, id)?.page).not.toBe('created');

  // No page created: the same titles with the same (migrated) ids.
  const after = cloud.pages().filter((p) => p.title !== 'Willkommen');
  expect(new Map(after.map((p) => [p.title, p.id]))).toEqual(idsBefore);
  expect(readStoredPage(cloud.findPage(nodeName('1'))?.body ?? '').notes).toBe(note);
  expect(readStoredPage(cloud.findPage(nodeName('2'))?.body ?? '').onlineSince?.date).toBe('2019-05-01');
  expect(cloud.requests.filter((r) => r.status === 410)).toEqual([]);
  expect(
    cloud.requests.filter(
      (r) => r.path.startsWith('/wiki/rest/api/') && !/\/child\/attachment(\/[^/]+\/data)?$/.test(r.path),
    ),
  ).toEqual([]);

  const again = await runReporter(NOW, [setup.configPath]);
  for (const id of Object.keys(mapping)) expect(outcomeOf(again, id)?.page).toBe('unchanged');
});
