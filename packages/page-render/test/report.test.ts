import { describe, expect, it } from 'vitest';
import { PageRenderError } from '../src/errors.js';
import {
  renderReportIndex,
  renderReportNodePage,
  reportNodeFileName,
  reportStylesheet,
} from '../src/report.js';
import { expectEveryField, HOSTILE, HOSTILE_SHOWN, VIEWS_BY_STATUS } from './fields.js';
import { parseHtml } from './html.js';
import { nodeView, STATUSES, summaryRow } from './views.js';
import { byClass, elements, find, findAll, text, type XmlElement } from './xml.js';

/** Every URL a document refers to: href/src attributes and url(…) in inline styles. */
function referencedUrls(document: XmlElement): string[] {
  const urls = findAll(document, () => true).flatMap((e) =>
    Object.entries(e.attrs)
      .filter(([name]) => ['href', 'src', 'srcset', 'action', 'poster', 'data'].includes(name))
      .map(([, value]) => value),
  );
  return urls;
}

function isLocal(url: string): boolean {
  return !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url) && !url.startsWith('//') && !url.startsWith('/');
}

const rows = STATUSES.map((status, i) =>
  summaryRow({ nodeId: String(i + 1), commonName: `[${i + 1}] Klinik`, status, errorRate7d: `${i}.5` }),
);

describe('renderReportIndex', () => {
  const html = renderReportIndex(
    { rows, heatmap: { attachmentName: 'heatmap.png', caption: '3 weitere Knoten nicht gezeigt' } },
    { heatmapFile: 'heatmap.png' },
  );
  const document = parseHtml(html);

  it('is an HTML5 document with its own stylesheet', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const link = find(document, (e) => e.name === 'link');
    expect(link.attrs).toMatchObject({ rel: 'stylesheet', href: 'report.css' });
    expect(find(document, (e) => e.name === 'meta' && e.attrs.charset !== undefined).attrs.charset).toBe(
      'utf-8',
    );
  });

  it('links every node page and shows status lozenges in Confluence colours', () => {
    const bodyRows = elements(byClass(document, 'table_summary_body'));
    expect(
      bodyRows.map((row) => {
        const [node, , , status, , , , rate7d] = elements(row);
        const link = find(node as XmlElement, (e) => e.name === 'a');
        const lozenge = find(status as XmlElement, (e) => e.name === 'span');
        return [link.attrs.href, text(link), lozenge.attrs.class, text(lozenge), text(rate7d as XmlElement)];
      }),
    ).toEqual(
      rows.map((row) => [
        reportNodeFileName(row.nodeId),
        row.commonName,
        `lozenge lozenge-${row.status.color.toLowerCase()}`,
        row.status.title,
        row.errorRate7d,
      ]),
    );
  });

  it('shows the heatmap file with its caption', () => {
    const figure = find(document, (e) => e.name === 'figure');
    expect(find(figure, (e) => e.name === 'img').attrs.src).toBe('heatmap.png');
    expect(text(find(figure, (e) => e.name === 'figcaption'))).toBe('3 weitere Knoten nicht gezeigt');
  });

  it('shows no heatmap without a file', () => {
    expect(findAll(parseHtml(renderReportIndex({ rows })), (e) => e.name === 'img')).toEqual([]);
  });

  it('refers to nothing outside the report folder', () => {
    expect(referencedUrls(document).filter((url) => !isLocal(url))).toEqual([]);
  });

  it('refuses a heatmap path that leaves the report folder', () => {
    for (const path of ['https://example.org/h.png', '/tmp/h.png', '//cdn/h.png', 'file:h.png']) {
      expect(() => renderReportIndex({ rows }, { heatmapFile: path }), path).toThrow(PageRenderError);
    }
  });

  it('escapes hostile text', () => {
    const hostileHtml = renderReportIndex(
      {
        rows: [summaryRow({ commonName: HOSTILE, interfaceImport: HOSTILE })],
        heatmap: { attachmentName: 'h.png', caption: HOSTILE },
      },
      { heatmapFile: 'h.png' },
    );
    expect(hostileHtml).not.toContain('<script');
    const hostileDocument = parseHtml(hostileHtml);
    const [row] = elements(byClass(hostileDocument, 'table_summary_body'));
    expect(
      elements(row as XmlElement)
        .slice(0, 2)
        .map(text),
    ).toEqual([HOSTILE_SHOWN, HOSTILE_SHOWN]);
    expect(find(hostileDocument, (e) => e.name === 'img').attrs.alt).toBe(HOSTILE_SHOWN);
  });
});

describe('renderReportNodePage', () => {
  it.each(VIEWS_BY_STATUS)('shows every field of a %s node', (_title, view) => {
    const document = parseHtml(renderReportNodePage(view));
    expectEveryField(document, view);
    const lozenge = find(byClass(document, 'status'), (e) => e.name === 'span');
    expect([lozenge.attrs.class, text(lozenge)]).toEqual([
      `lozenge lozenge-${view.status.color.toLowerCase()}`,
      view.status.title,
    ]);
  });

  const view = nodeView();
  const html = renderReportNodePage(view);
  const document = parseHtml(html);

  it('links back to the index and the stylesheet, and nothing outside the folder but mail addresses', () => {
    expect(
      find(document, (e) => e.name === 'nav').children.some(
        (c) => typeof c !== 'string' && c.attrs.href === 'index.html',
      ),
    ).toBe(true);
    const external = referencedUrls(document).filter((url) => !isLocal(url));
    expect(external).toEqual(
      [...view.contacts.ed, ...view.contacts.it].map((contact) => `mailto:${contact.email}`),
    );
  });

  it('shows start date, contacts, errors and the Jira query', () => {
    expect(find(byClass(document, 'online_since'), (e) => e.name === 'time').attrs.datetime).toBe(
      view.onlineSince,
    );
    expect(findAll(byClass(document, 'contact_it'), (e) => e.name === 'li').map(text)).toEqual(
      view.contacts.it.map((c) => `${c.name} ${c.email}`),
    );
    const errorRows = elements(byClass(document, 'table_errors_body'));
    expect(errorRows.map((row) => elements(row).map(text))).toEqual(
      view.errors.map((e) => [e.timestamp, e.repeats, e.content]),
    );
    expect(text(byClass(document, 'table_jira'))).toBe(
      'project=AKTIN AND ( Labels="beispielstadt" OR Labels="orbis" )',
    );
  });

  it('says so when there are no errors, contacts or start date', () => {
    const empty = parseHtml(
      renderReportNodePage(nodeView({ errors: [], contacts: { ed: [], it: [] }, onlineSince: undefined })),
    );
    expect(text(byClass(empty, 'table_errors_body')).trim()).toBe('Keine Fehlermeldungen.');
    expect(text(byClass(empty, 'contact_ed'))).toBe('-');
    expect(text(byClass(empty, 'online_since'))).toBe('-');
  });

  it('escapes hostile text in names, contacts and errors', () => {
    const hostile = renderReportNodePage(
      nodeView({
        commonName: HOSTILE,
        clinicName: HOSTILE,
        contacts: { ed: [{ name: HOSTILE, email: `x"><script>@e.example` }], it: [] },
        errors: [{ timestamp: '2024-01-01 00:00:00', repeats: '1', content: HOSTILE }],
      }),
    );
    // Only the chart's own three script elements: its days and the two local scripts.
    expect(hostile.match(/<script[^>]*>/g)).toEqual([
      '<script type="application/json" class="history-days">',
      '<script src="vega.min.js">',
      '<script src="history-chart.js">',
    ]);
    const hostileDocument = parseHtml(hostile);
    expect(text(find(hostileDocument, (e) => e.name === 'title'))).toBe(`${HOSTILE_SHOWN} – Broker-Monitor`);
    expect(text(byClass(hostileDocument, 'clinic_name'))).toBe(HOSTILE_SHOWN);
    expect(find(byClass(hostileDocument, 'contact_ed'), (e) => e.name === 'a').attrs.href).toBe(
      'mailto:x"><script>@e.example',
    );
    expect(text(byClass(hostileDocument, 'content'))).toBe(HOSTILE_SHOWN);
  });
});

describe('reportNodeFileName', () => {
  it('keeps plain node ids readable', () => {
    expect(reportNodeFileName('3')).toBe('node-3.html');
    expect(reportNodeFileName('node-A7')).toBe('node-node-A7.html');
  });

  it('gives different ids different names that stay inside the folder', () => {
    const ids = ['a/b', 'a_b', 'a.b', 'a_2f_b', '../x', '..', 'ä', '🚑', ''];
    const names = ids.map(reportNodeFileName);
    expect(new Set(names).size).toBe(ids.length);
    for (const name of names) expect(name).toMatch(/^node-[A-Za-z0-9_-]*\.html$/);
  });
});

describe('reportStylesheet', () => {
  it('styles a lozenge for every Confluence status colour and loads nothing', () => {
    const css = reportStylesheet();
    for (const color of ['red', 'yellow', 'green', 'blue', 'grey'])
      expect(css).toContain(`.lozenge-${color} {`);
    expect(css).not.toMatch(/url\(|@import/);
  });
});

describe('the history section of a report node page', () => {
  const page = parseHtml(
    renderReportNodePage(nodeView({ importNote: 'Importe auffällig niedrig: 41 statt üblich 390' })),
  );

  it('shows the availability, the rule behind it and the note next to the status', () => {
    expect(text(byClass(page, 'availability_30'))).toBe('96,7 %');
    expect(text(byClass(page, 'availability_365'))).toBe('99,1 %');
    expect(text(byClass(page, 'availability_rule'))).toContain('TESTING oder GAP IN MONITORING');
    expect(text(byClass(page, 'import_note'))).toBe('Importe auffällig niedrig: 41 statt üblich 390');
  });

  it('carries the chart’s days as JSON, and refuses a day that is no date', () => {
    const days = JSON.parse(text(byClass(page, 'history-days')));
    expect(days).toEqual(nodeView().days);
    expect(() =>
      renderReportNodePage(
        nodeView({ days: [{ day: '</script><b>', imports: 1, errorRate: 1, restart: false }] }),
      ),
    ).toThrow(PageRenderError);
  });

  it('has no note row without a note', () => {
    expect(
      findAll(parseHtml(renderReportNodePage(nodeView())), (e) => e.attrs.class === 'import_note'),
    ).toEqual([]);
  });
});
