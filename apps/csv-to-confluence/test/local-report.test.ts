import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatSilences, parseSilences } from '@broker-monitor/silences';
import { describe, expect, it } from 'vitest';
import { elements, indexRows, parseHtml, referencedUrls, textOfClass } from './html.js';
import { EXPECTED_STATUS, HOSTILE, NOW, statusFixture } from './status-fixture.js';
import { dayRows, makeSetup, outcomeOf, runReporter, writeNode } from './store.js';

describe('local report', () => {
  it('writes the index, one page per node with its status, the heatmap and the stylesheet', async () => {
    const setup = await statusFixture();
    const out = join(setup.dir, 'out');
    const result = await runReporter(NOW, [setup.configPath, '--out', out]);

    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(join(out, 'index.html'));
    const files = (await readdir(out)).sort();
    expect(files).toEqual(
      [
        'heatmap.png',
        'history-chart.js',
        'index.html',
        'report.css',
        'vega.min.js',
        ...Object.keys(EXPECTED_STATUS).map((id) => `node-${id}.html`),
      ].sort(),
    );
    const png = await readFile(join(out, 'heatmap.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');

    const index = parseHtml(await readFile(join(out, 'index.html'), 'utf8'));
    const rows = indexRows(index);
    expect(rows.size).toBe(Object.keys(EXPECTED_STATUS).length);
    for (const [id, status] of Object.entries(EXPECTED_STATUS)) {
      const page = parseHtml(await readFile(join(out, `node-${id}.html`), 'utf8'));
      expect(textOfClass(page, 'status'), `node ${id}`).toBe(status);
      expect(outcomeOf(result, id)).toMatchObject({ outcome: 'ok', status });
    }
    expect(rows.get('[1] Online')?.[3]).toBe('ONLINE');
    expect(rows.get('[1] Online')?.slice(4, 8)).toEqual(['150.0', '0.0', '0.00', '0.00']);
    // [new] columns after the original's: availability over 30 days as on the node page, no note.
    const onlinePage = parseHtml(await readFile(join(out, 'node-1.html'), 'utf8'));
    expect(rows.get('[1] Online')?.[8]).toMatch(/^\d{1,3},\d %$/);
    expect(rows.get('[1] Online')?.[8]).toBe(textOfClass(onlinePage, 'availability_30'));
    expect(rows.get('[1] Online')?.[9]).toBe('');
    expect(outcomeOf(result, '10')).toMatchObject({
      outcome: 'warning',
      reason: 'no stats row yet: no page',
    });
    expect(outcomeOf(result, '11')).toMatchObject({ outcome: 'warning' });
    expect(result.logs.some((l) => String(l.msg).includes('set DIR.CONTACTS'))).toBe(true);
  });

  it('escapes hostile names, errors and contacts and loads nothing from elsewhere', async () => {
    const setup = await statusFixture({ contacts: true });
    const out = join(setup.dir, 'out');
    expect((await runReporter(NOW, [setup.configPath, '--out', out])).code).toBe(0);

    for (const file of ['index.html', 'node-9.html', 'node-1.html']) {
      const html = await readFile(join(out, file), 'utf8');
      const document = parseHtml(html);
      // Node pages carry only the history chart's scripts: its days as JSON and two local files.
      const scripts = elements(document, 'script').map((e) => e.attribs.src ?? e.attribs.type);
      expect(scripts, file).toEqual(
        file === 'index.html' ? [] : ['application/json', 'vega.min.js', 'history-chart.js'],
      );
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img src=http');
      for (const url of referencedUrls(document)) {
        expect(url, `${file} refers to ${url}`).toMatch(/^(mailto:|(?![a-z][a-z0-9+.-]*:|\/\/)[^/])/i);
      }
    }
    const index = parseHtml(await readFile(join(out, 'index.html'), 'utf8'));
    expect(indexRows(index).has(HOSTILE)).toBe(true);
    const page = parseHtml(await readFile(join(out, 'node-9.html'), 'utf8'));
    expect(textOfClass(page, 'clinic_name')).toBe(HOSTILE);
    expect(textOfClass(page, 'table_errors_body')).toContain(
      `Fehler; <script>alert(1)</script> "quoted" & ]]>`,
    );
    expect(textOfClass(page, 'contact_it')).toContain(`<b>Eve</b> O'Hara & Co`);
    const css = await readFile(join(out, 'report.css'), 'utf8');
    expect(css).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);

    const one = parseHtml(await readFile(join(out, 'node-1.html'), 'utf8'));
    expect(textOfClass(one, 'contact_ed')).toContain('Dr. Erika Muster');
    expect(textOfClass(one, 'contact_it')).toContain('it@klinik-eins.example');
  });

  it('writes to DIR.WORKING/report without CONFLUENCE.URL and removes pages of nodes no longer mapped', async () => {
    const setup = await statusFixture();
    const first = await runReporter(NOW, [setup.configPath]);
    const out = join(setup.working, 'report');
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n').at(-1)).toBe(join(out, 'index.html'));
    expect(await readdir(out)).toContain('node-2.html');

    const mapping = JSON.parse(await readFile(setup.mappingPath, 'utf8')) as Record<string, unknown>;
    delete mapping['2'];
    await writeFile(setup.mappingPath, JSON.stringify(mapping));
    expect((await runReporter(NOW, [setup.configPath])).code).toBe(0);
    const files = await readdir(out);
    expect(files).not.toContain('node-2.html');
    expect(files).toContain('node-1.html');
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(indexRows(parseHtml(await readFile(join(out, 'index.html'), 'utf8'))).has('[2] Offline')).toBe(
      false,
    );
  });

  it('shows an active maintenance window next to the status, and the status unchanged', async () => {
    const setup = await statusFixture();
    const window = (id: string, node: string, from: string, until: string, reason: string) => ({
      id,
      node,
      from,
      until,
      kinds: ['OFFLINE'],
      reason,
      author: 'it-team',
      created: from,
    });
    await mkdir(join(setup.working, '.broker-monitor'));
    await writeFile(
      join(setup.working, '.broker-monitor', 'silences.json'),
      formatSilences(
        parseSilences(
          JSON.stringify({
            version: 1,
            silences: [
              window(
                's00000001',
                '2',
                '2025-06-10T22:00:00.000Z',
                '2025-06-24T22:00:00.000Z',
                'DWH-Migration',
              ),
              // Over: not shown.
              window('s00000002', '1', '2025-05-01T22:00:00.000Z', '2025-05-02T22:00:00.000Z', 'alt'),
            ],
          }),
          'silences.json',
        ),
      ),
    );
    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(0);
    const out = join(setup.working, 'report');
    const two = parseHtml(await readFile(join(out, 'node-2.html'), 'utf8'));
    expect(textOfClass(two, 'maintenance_note')).toBe('Wartung bis 24.06.2025: DWH-Migration');
    expect(outcomeOf(result, '2')).toMatchObject({ status: 'OFFLINE' });
    const one = parseHtml(await readFile(join(out, 'node-1.html'), 'utf8'));
    expect(textOfClass(one, 'maintenance_note')).toBeUndefined();
    const rows = indexRows(parseHtml(await readFile(join(out, 'index.html'), 'utf8')));
    expect(rows.get('[2] Offline')?.at(-1)).toBe('Wartung bis 24.06.2025: DWH-Migration');
    expect(rows.get('[1] Online')?.at(-1)).toBe('');
  });

  it('prepends last year when this year has fewer than 3 rows', async () => {
    const now = new Date('2025-01-02T06:30:00Z');
    const setup = await makeSetup({ mapping: { '1': { COMMON_NAME: 'Neujahr' } } });
    const lastYear = dayRows({
      end: new Date('2024-12-31T06:00:00Z'),
      days: 20,
      day: (_age, row) => ({ daily: { ...row.daily, imported: '0' } }),
    });
    const thisYear = dayRows({
      end: new Date('2025-01-02T06:00:00Z'),
      days: 2,
      day: () => ({ lastWrite: '2025-01-02T01:00:00Z' }),
    });
    await writeNode(setup.working, { id: '1', rows: thisYear, lastYearRows: lastYear });
    const result = await runReporter(now, [setup.configPath]);
    expect(result.code).toBe(0);
    // Two import days this year, none before: still TESTING only because last year counts.
    expect(outcomeOf(result, '1')).toMatchObject({ status: 'TESTING' });
  });

  it('fails a node with broken files or a bad mapping entry and still reports the others', async () => {
    const setup = await statusFixture();
    await writeNode(setup.working, { id: '1', rawStats: 'date;last_contact\nnot;a stats file\n' });
    const mapping = JSON.parse(await readFile(setup.mappingPath, 'utf8')) as Record<string, unknown>;
    mapping['12'] = { COMMON_NAME: 42 };
    await writeFile(setup.mappingPath, JSON.stringify(mapping));
    const out = join(setup.dir, 'out');
    const result = await runReporter(NOW, [setup.configPath, '--out', out]);

    expect(result.code).toBe(1);
    expect(outcomeOf(result, '1')).toMatchObject({ outcome: 'failed' });
    expect(String(outcomeOf(result, '1')?.reason)).toContain('1_stats_2025.csv');
    expect(outcomeOf(result, '12')).toMatchObject({ outcome: 'failed' });
    expect(String(outcomeOf(result, '12')?.reason)).toContain('COMMON_NAME');
    const files = await readdir(out);
    expect(files).not.toContain('node-1.html');
    expect(files).toContain('node-2.html');
    expect(result.logs.find((l) => l.summary)).toMatchObject({ failed: 2, exitCode: 1 });
  });

  it('fails a node with `xyz` as its daily error rate, naming file, line and column', async () => {
    const setup = await statusFixture();
    const rows = dayRows({
      end: new Date(NOW.getTime() - 3_600_000),
      days: 5,
      day: (age, row) => (age === 0 ? { daily: { ...row.daily, errorRate: 'xyz' } } : undefined),
    });
    await writeNode(setup.working, { id: '1', rows });
    const result = await runReporter(NOW, [setup.configPath, '--out', join(setup.dir, 'out')]);
    expect(result.code).toBe(1);
    expect(outcomeOf(result, '1')).toMatchObject({
      outcome: 'failed',
      reason: `${setup.working}/1/1_stats_2025.csv: line 6, column daily_error_rate: not a number: "xyz"`,
    });
    expect(outcomeOf(result, '2')).toMatchObject({ outcome: 'ok' });
  });

  it('writes the pages without contacts and exits 1 when DIR.CONTACTS is unreadable', async () => {
    const setup = await makeSetup({
      mapping: { '1': { COMMON_NAME: 'Eins' } },
      contactsCsv: 'Node ID;Vorname;Kontakt\n1;Max;max@example.org\n',
    });
    await writeNode(setup.working, {
      id: '1',
      rows: dayRows({ end: new Date('2025-06-15T06:00:00Z'), days: 5 }),
    });
    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(1);
    expect(result.logs.find((l) => l.step === 'contacts')).toMatchObject({ outcome: 'failed' });
    expect(String(result.logs.find((l) => l.step === 'contacts')?.reason)).toContain('Ansprechpartner für');
    expect(outcomeOf(result, '1')).toMatchObject({ outcome: 'ok' });
    expect(result.logs.find((l) => l.summary)).toMatchObject({ failedSteps: ['contacts'], exitCode: 1 });
  });

  it('exits 2 when DIR.WORKING is missing', async () => {
    const setup = await statusFixture();
    await rm(setup.working, { recursive: true });
    const result = await runReporter(NOW, [setup.configPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DIR.WORKING');
  });

  it('--check without Confluence validates and changes nothing', async () => {
    const setup = await statusFixture();
    const result = await runReporter(NOW, [setup.configPath, '--check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('10 node folders; 1 mapped nodes have none yet');
    expect(result.stdout).toContain('check passed');
    expect(await readdir(setup.working)).not.toContain('report');
  });
});
