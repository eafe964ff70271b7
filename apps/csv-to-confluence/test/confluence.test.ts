import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  type ConfluenceEmulator,
  type ConfluenceFlavour,
  contactsPageBody,
  type EmulatedPage,
  startConfluenceEmulator,
} from '@broker-monitor/confluence-emulator';
import { readStoredPage } from '@broker-monitor/page-render';
import { afterEach, describe, expect, it } from 'vitest';
import { writeNoteAsPerson } from './person.js';
import { DAILY, DAYS, dayRows, makeSetup, outcomeOf, runReporter, type Setup, writeNode } from './store.js';

const NOW = new Date('2025-06-15T06:30:00Z');
const END = new Date('2025-06-15T06:00:00Z');
const PARENT = 'Support Log Broker-Monitor';

const emulators: ConfluenceEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function emulator(flavour: ConfluenceFlavour, options: { support?: boolean } = {}) {
  const confluence = await startConfluenceEmulator({ flavour, maxPageSize: 50 });
  emulators.push(confluence);
  if (options.support !== false) confluence.addPage({ title: 'Support' });
  return confluence;
}

const nodeName = (id: string) => `[${id}] Klinikum ${id} – Zentrale Notaufnahme`;

/** `count` ONLINE nodes (ids 1…count) whose last row is `end`; node 1 gets an error rate that changes with `rate`. */
async function nodesSetup(
  confluence: ConfluenceEmulator,
  count: number,
  options: { concurrency?: number } = {},
): Promise<Setup> {
  const mapping = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      String(i + 1),
      { COMMON_NAME: nodeName(String(i + 1)), IMPORT_INTERFACE: 'HL7', JIRA_LABELS: [`node-${i + 1}`] },
    ]),
  );
  const setup = await makeSetup({
    mapping,
    confluence: { url: confluence.url, token: confluence.token, email: confluence.email },
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  await Promise.all(Object.keys(mapping).map((id) => writeDays(setup, id, END)));
  return setup;
}

async function writeDays(setup: Setup, id: string, end: Date, lastRate = '0.00') {
  await writeNode(setup.working, {
    id,
    rows: dayRows({
      end,
      days: 30,
      day: (age) => (age === 0 ? { daily: { ...DAILY, errorRate: lastRate } } : undefined),
    }),
    errors: [{ timestamp: '2025-06-14T10:00:00+02:00', repeats: '2', content: 'Patient ohne Geburtsdatum' }],
  });
}

function childrenOf(confluence: ConfluenceEmulator, parent: EmulatedPage | undefined): EmulatedPage[] {
  return confluence.pages().filter((p) => parent !== undefined && p.parentId === parent.id);
}

const versions = (pages: EmulatedPage[]) => Object.fromEntries(pages.map((p) => [p.title, p.version]));

describe.each(['datacenter', 'cloud'] as const)('Confluence %s', (flavour) => {
  // Cloud's v2 create takes no version message, so the client writes it as a second version.
  const createdVersion = flavour === 'cloud' ? 2 : 1;
  it('creates the parent and node pages, then writes nothing when nothing changed', async () => {
    const confluence = await emulator(flavour);
    confluence.addPage({
      title: 'E-Mail-Verteiler',
      body: contactsPageBody([
        { nodeId: '1', role: 'IT', firstName: 'Petra', lastName: 'Technik', email: 'it@klinik-1.example' },
      ]),
    });
    const setup = await nodesSetup(confluence, 5);

    const first = await runReporter(NOW, [setup.configPath]);
    expect(first.code).toBe(0);
    expect(confluence.requests.filter((r) => r.status >= 400)).toEqual([]);
    const parent = confluence.findPage(PARENT);
    expect(parent?.parentId).toBe(confluence.findPage('Support')?.id);
    const pages = childrenOf(confluence, parent);
    expect(pages.map((p) => p.title).sort()).toEqual(['1', '2', '3', '4', '5'].map(nodeName).sort());
    for (const page of pages) {
      expect(page.version).toBe(createdVersion);
      expect(page.versionMessage).toMatch(/^broker-monitor:[0-9a-f]{64}$/);
      const stored = readStoredPage(page.body);
      expect(stored.status?.title).toBe('ONLINE');
      expect(stored.versionTemplate).toBe('2.0');
      expect(stored.onlineSince?.date).toBe('2025-05-17');
    }
    const one = readStoredPage(confluence.findPage(nodeName('1'))?.body ?? '');
    expect(one.fields.get('contact_it')).toContain('it@klinik-1.example');
    expect(one.fields.get('interface_import')).toBe('HL7');
    expect(outcomeOf(first, '1')).toMatchObject({ outcome: 'ok', page: 'created', status: 'ONLINE' });

    const summary = parent?.body ?? '';
    for (const id of ['1', '2', '3', '4', '5'])
      expect(summary).toContain(`ri:content-title="${nodeName(id)}"`);
    expect(summary).toContain('ri:filename="heatmap.png"');
    const [heatmap] = confluence.attachments(parent?.id ?? '');
    expect(heatmap).toMatchObject({ fileName: 'heatmap.png', mediaType: 'image/png', version: 1 });
    expect(heatmap?.comment).toMatch(/^broker-monitor:[0-9a-f]{64}$/);

    const before = versions(confluence.pages());
    confluence.clearRequests();
    const second = await runReporter(NOW, [setup.configPath]);
    expect(second.code).toBe(0);
    expect(versions(confluence.pages())).toEqual(before);
    expect(confluence.attachments(parent?.id ?? '')[0]?.version).toBe(1);
    expect(confluence.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(outcomeOf(second, '3')).toMatchObject({ outcome: 'ok', page: 'unchanged' });
  });

  it('updates only the pages whose data changed, and the summary', async () => {
    const confluence = await emulator(flavour);
    const setup = await nodesSetup(confluence, 4);
    expect((await runReporter(NOW, [setup.configPath])).code).toBe(0);
    const parent = confluence.findPage(PARENT);
    const before = versions(confluence.pages());

    await writeDays(setup, '2', END, '7.50');
    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(0);
    const after = versions(confluence.pages());
    expect(after[nodeName('2')]).toBe((before[nodeName('2')] ?? 0) + 1);
    expect(after[PARENT]).toBe((before[PARENT] ?? 0) + 1);
    for (const id of ['1', '3', '4']) expect(after[nodeName(id)]).toBe(before[nodeName(id)]);
    const two = readStoredPage(confluence.findPage(nodeName('2'))?.body ?? '');
    expect(two.status?.title).toBe('HIGH ERROR RATE');
    expect(confluence.findPage(PARENT)?.body).toContain('7.50');
    expect(confluence.attachments(parent?.id ?? '')[0]?.version).toBe(2);
  });

  it('stays within the request budget at 100 nodes', async () => {
    const confluence = await emulator(flavour);
    const setup = await nodesSetup(confluence, 100);
    expect((await runReporter(NOW, [setup.configPath])).code).toBe(0);
    const created = confluence.requests.length / 100;

    confluence.clearRequests();
    expect((await runReporter(NOW, [setup.configPath])).code).toBe(0);
    const unchanged = confluence.requests.length / 100;

    const tomorrow = new Date(NOW.getTime() + DAYS);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => writeDays(setup, String(i + 1), new Date(END.getTime() + DAYS))),
    );
    confluence.clearRequests();
    expect((await runReporter(tomorrow, [setup.configPath])).code).toBe(0);
    const changed = confluence.requests.length / 100;
    expect(
      childrenOf(confluence, confluence.findPage(PARENT)).every((p) => p.version === createdVersion + 1),
    ).toBe(true);
    expect(confluence.requests.filter((r) => r.status >= 400)).toEqual([]);

    console.info(
      `${flavour}: requests per node page at 100 nodes: first run ${created}, unchanged ${unchanged}, all changed ${changed}`,
    );
    expect(created).toBeLessThanOrEqual(flavour === 'cloud' ? 2.2 : 1.2);
    expect(unchanged).toBeLessThanOrEqual(0.2);
    expect(changed).toBeLessThanOrEqual(1.2);
  }, 60_000);

  it('refuses wrong credentials with exit 3 naming the key, never the token', async () => {
    const confluence = await emulator(flavour);
    const setup = await makeSetup({
      mapping: { '1': { COMMON_NAME: 'Eins' } },
      confluence: { url: confluence.url, token: 'not-the-token', email: confluence.email },
    });
    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      flavour === 'cloud' ? 'CONFLUENCE.EMAIL and CONFLUENCE.TOKEN' : 'CONFLUENCE.TOKEN',
    );
    expect(result.stdout + result.stderr).not.toContain('not-the-token');
  });
});

describe('Confluence pages kept across runs', () => {
  it('migrates a page of the Python version, keeping online_since', async () => {
    const confluence = await emulator('datacenter');
    const parent = confluence.addPage({ title: PARENT, parentTitle: 'Support' });
    const python = confluence.addPage({
      title: nodeName('1'),
      parentId: parent.id,
      version: 57,
      body: await readFile(new URL('./fixtures/python-era-page.xml', import.meta.url), 'utf8'),
    });
    expect(readStoredPage(python.body).versionTemplate).toBe('1.103');
    const setup = await nodesSetup(confluence, 1);

    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(0);
    expect(outcomeOf(result, '1')).toMatchObject({ page: 'migrated' });
    const page = confluence.findPage(nodeName('1'));
    expect(page?.version).toBe(58);
    const stored = readStoredPage(page?.body ?? '');
    expect(stored.versionTemplate).toBe('2.0');
    expect(stored.onlineSince?.date).toBe('2020-01-01');
    expect(stored.notes).toBe('');
    expect(stored.fields.get('last_check')).toBe('2025-06-15 08:00:00');
  });

  it('keeps the notes a person wrote, and then writes nothing while nothing changes', async () => {
    const confluence = await emulator('datacenter');
    const setup = await nodesSetup(confluence, 2);
    expect((await runReporter(NOW, [setup.configPath])).code).toBe(0);

    // A person types into the Notizen section and saves (a version without our hash).
    const note = '<p>Ansprechpartner wechselt im Juli &amp; Server-Umzug geplant.</p>';
    await writeNoteAsPerson(confluence, nodeName('1'), note);
    expect(readStoredPage(confluence.findPage(nodeName('1'))?.body ?? '').notes).toBe(note);

    const rerender = await runReporter(NOW, [setup.configPath]);
    expect(rerender.code).toBe(0);
    expect(outcomeOf(rerender, '1')).toMatchObject({ page: 'updated' });
    const updated = confluence.findPage(nodeName('1'));
    expect(readStoredPage(updated?.body ?? '').notes).toBe(note);
    expect(updated?.versionMessage).toMatch(/^broker-monitor:/);

    const again = await runReporter(NOW, [setup.configPath]);
    expect(outcomeOf(again, '1')).toMatchObject({ page: 'unchanged' });
    expect(confluence.findPage(nodeName('1'))?.version).toBe(updated?.version);
  });

  it('retries a 409 once with the fresh version', async () => {
    const confluence = await emulator('datacenter');
    const setup = await nodesSetup(confluence, 2);
    expect((await runReporter(NOW, [setup.configPath])).code).toBe(0);
    const page = confluence.findPage(nodeName('1'));
    confluence.conflictNextUpdates(page?.id ?? '', 1);
    await writeDays(setup, '1', END, '3.00');
    confluence.clearRequests();

    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(0);
    const puts = confluence.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${page?.id}`));
    expect(puts.map((r) => r.status)).toEqual([409, 200]);
    const after = confluence.findPage(nodeName('1'));
    expect(after?.version).toBe((page?.version ?? 0) + 2);
    expect(readStoredPage(after?.body ?? '').status?.title).toBe('LOW ERROR RATE');
  });

  it('fails only the page that answers 500; the others and the summary are published', async () => {
    const confluence = await emulator('datacenter');
    const setup = await nodesSetup(confluence, 3);
    expect((await runReporter(NOW, [setup.configPath])).code).toBe(0);
    const broken = confluence.findPage(nodeName('2'));
    confluence.failPage(broken?.id ?? '', { method: 'PUT' });
    await Promise.all(['1', '2', '3'].map((id) => writeDays(setup, id, END, '12.00')));

    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(1);
    expect(outcomeOf(result, '2')).toMatchObject({ outcome: 'failed' });
    expect(String(outcomeOf(result, '2')?.reason)).toContain('500');
    for (const id of ['1', '3']) {
      expect(readStoredPage(confluence.findPage(nodeName(id))?.body ?? '').status?.title).toBe(
        'EXTREME ERROR RATE',
      );
    }
    expect(confluence.findPage(nodeName('2'))?.version).toBe(broken?.version);
    const summary = confluence.findPage(PARENT)?.body ?? '';
    // The failed node keeps its row with the values its page still shows.
    expect(summary).toContain(`ri:content-title="${nodeName('2')}"`);
    expect(summary.match(/EXTREME ERROR RATE/g)).toHaveLength(2);
  });

  it('updates a page a person moved elsewhere and keeps a row for a node without folder', async () => {
    const confluence = await emulator('datacenter');
    confluence.addPage({ title: PARENT, parentTitle: 'Support' });
    const archive = confluence.addPage({ title: 'Archiv', parentTitle: 'Support' });
    const moved = confluence.addPage({
      title: nodeName('2'),
      parentId: archive.id,
      version: 3,
      body: await readFile(new URL('./fixtures/python-era-page.xml', import.meta.url), 'utf8'),
    });
    const setup = await nodesSetup(confluence, 3);

    const first = await runReporter(NOW, [setup.configPath]);
    expect(first.code).toBe(0);
    const pagesOfTwo = confluence.pages().filter((p) => p.title === nodeName('2'));
    expect(pagesOfTwo).toHaveLength(1);
    expect(pagesOfTwo[0]).toMatchObject({ id: moved.id, parentId: archive.id, version: 4 });
    expect(readStoredPage(pagesOfTwo[0]?.body ?? '').onlineSince?.date).toBe('2020-01-01');

    // Node 3 loses its folder: its page stays in the summary with the values it shows.
    const three = readStoredPage(confluence.findPage(nodeName('3'))?.body ?? '');
    await rm(join(setup.working, '3'), { recursive: true });
    await writeDays(setup, '1', END, '5.00');
    const second = await runReporter(NOW, [setup.configPath]);
    expect(second.code).toBe(0);
    expect(outcomeOf(second, '3')).toMatchObject({ outcome: 'warning' });
    const summary = confluence.findPage(PARENT)?.body ?? '';
    expect(summary).toContain(`ri:content-title="${nodeName('3')}"`);
    expect(summary).toContain(three.fields.get('last_check'));
    expect(summary).toContain('HIGH ERROR RATE');
  });
});

describe('Confluence at the start of a run', () => {
  it('says clearly when neither the parent page nor Support exists (exit 3)', async () => {
    const confluence = await emulator('datacenter', { support: false });
    const setup = await nodesSetup(confluence, 1);
    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(3);
    const reason = String(result.logs.find((l) => l.outcome === 'nothing-done')?.reason);
    expect(reason).toContain(`neither the page "${PARENT}" nor the page "Support"`);
    expect(reason).toContain('CONFLUENCE.SPACE');
    expect(confluence.pages()).toEqual([]);
  });

  it('--out writes the local report without asking Confluence', async () => {
    const confluence = await emulator('datacenter');
    const setup = await nodesSetup(confluence, 2);
    const out = join(setup.dir, 'out');
    const result = await runReporter(NOW, [setup.configPath, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(join(out, 'index.html'));
    expect(confluence.requests).toEqual([]);
    expect(confluence.findPage(PARENT)).toBeUndefined();
  });

  it('exits 3 naming CONFLUENCE.URL when Confluence is unreachable', async () => {
    const port = await closedPort();
    const setup = await makeSetup({
      mapping: { '1': { COMMON_NAME: 'Eins' } },
      confluence: { url: `http://127.0.0.1:${port}`, token: 'secret-token-123' },
    });
    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('CONFLUENCE.URL');
    expect(result.stdout).not.toContain('secret-token-123');
  });

  it('--check reads only, and reports the parent page and contacts', async () => {
    const confluence = await emulator('cloud');
    confluence.addPage({ title: 'E-Mail-Verteiler', body: contactsPageBody([]) });
    const setup = await nodesSetup(confluence, 2);
    const result = await runReporter(NOW, [setup.configPath, '--check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`"${PARENT}" will be created under "Support"`);
    expect(result.stdout).toContain('page "E-Mail-Verteiler": 0 contacts');
    expect(result.stdout).toContain('check passed');
    expect(confluence.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(confluence.findPage(PARENT)).toBeUndefined();

    const wrong = await makeSetup({
      mapping: { '1': { COMMON_NAME: 'Eins' } },
      confluence: { url: confluence.url, token: 'wrong', email: confluence.email },
    });
    expect((await runReporter(NOW, [wrong.configPath, '--check'])).code).toBe(3);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 9;
}
