import { describe, expect, it } from 'vitest';
import { renderSummaryPage } from '../src/summary-page.js';
import { HOSTILE, HOSTILE_SHOWN } from './fields.js';
import { STATUSES, summaryRow } from './views.js';
import {
  byClass,
  elements,
  find,
  findAll,
  macroParameter,
  parseStorage,
  text,
  type XmlElement,
} from './xml.js';

const HEADER = [
  'Node',
  'Interface',
  'Letzter Check',
  'Status',
  'Imports heute',
  'Fehler heute',
  'Fehlerrate heute',
  'Fehlerrate über 7 Tage',
  // [new] appended after the original's columns
  'Verfügbarkeit 30 Tage',
  'Hinweis',
];

const rows = STATUSES.map((status, i) =>
  summaryRow({
    nodeId: String(i + 1),
    commonName: `[${i + 1}] Klinik ${i + 1}`,
    interfaceImport: `Schnittstelle ${i}`,
    lastCheck: `2024-05-0${i + 1} 01:00:00`,
    status,
    importsToday: i === 0 ? '-' : `${i}8.0`,
    errorsToday: `${i}.0`,
    errorRateToday: i === 0 ? '-' : `${i}.25`,
    errorRate7d: `${i}.50`,
    availability30: i === 0 ? '—' : `9${i},5 %`,
    note: i === 1 ? 'Importe auffällig niedrig: 41 statt üblich 390' : '',
  }),
);

function cells(row: XmlElement) {
  return elements(row).map((cell) => {
    const link = findAll(cell, (e) => e.name === 'ri:page')[0];
    if (link)
      return {
        link: link.attrs['ri:content-title'],
        linkParent: find(cell, (e) => e.name === 'ac:link').name,
      };
    const macro = findAll(cell, (e) => e.name === 'ac:structured-macro')[0];
    if (macro)
      return {
        macro: macro.attrs['ac:name'],
        title: macroParameter(macro, 'title'),
        color: macroParameter(macro, 'color'),
      };
    return text(cell);
  });
}

describe('renderSummaryPage', () => {
  const body = renderSummaryPage({ rows });
  const page = parseStorage(body);

  it('starts with the table frame of the original', () => {
    expect(body.startsWith('<table><colgroup><col/></colgroup><tbody class="table_summary_body">')).toBe(
      true,
    );
  });

  it('has the German header cells in order', () => {
    const [header] = elements(byClass(page, 'table_summary_body'));
    expect(elements(header as XmlElement).map((th) => [th.name, text(th)])).toEqual(
      HEADER.map((h) => ['th', h]),
    );
  });

  it('has one row per node, in the given order, with link, status macro and values', () => {
    const [, ...bodyRows] = elements(byClass(page, 'table_summary_body'));
    expect(bodyRows.map(cells)).toEqual(
      rows.map((row) => [
        { link: row.commonName, linkParent: 'ac:link' },
        row.interfaceImport,
        row.lastCheck,
        { macro: 'status', title: row.status.title, color: row.status.color },
        row.importsToday,
        row.errorsToday,
        row.errorRateToday,
        row.errorRate7d,
        row.availability30,
        row.note,
      ]),
    );
  });

  it('shows no image without a heatmap', () => {
    expect(findAll(page, (e) => e.name === 'ac:image')).toEqual([]);
  });

  it('shows the attached heatmap with its caption', () => {
    const caption = 'Fehlerrate der letzten 42 Tage; 12 weitere Knoten nicht gezeigt';
    const withHeatmap = parseStorage(
      renderSummaryPage({ rows, heatmap: { attachmentName: 'error-rate-heatmap.png', caption } }),
    );
    const image = find(withHeatmap, (e) => e.name === 'ac:image');
    expect(find(image, (e) => e.name === 'ri:attachment').attrs['ri:filename']).toBe(
      'error-rate-heatmap.png',
    );
    expect(findAll(withHeatmap, (e) => e.name === 'p').map(text)).toContain(caption);
  });

  it('escapes hostile names in the page link attribute and in every cell', () => {
    const hostile = summaryRow({
      commonName: HOSTILE,
      interfaceImport: HOSTILE,
      status: { title: HOSTILE, color: 'Red' },
      errorRate7d: HOSTILE,
    });
    const hostileBody = renderSummaryPage({
      rows: [hostile],
      heatmap: { attachmentName: `"${HOSTILE}.png`, caption: HOSTILE },
    });
    expect(hostileBody).not.toContain('<script');
    const hostilePage = parseStorage(hostileBody);
    const [, row] = elements(byClass(hostilePage, 'table_summary_body'));
    expect(cells(row as XmlElement)).toEqual([
      { link: HOSTILE_SHOWN, linkParent: 'ac:link' },
      HOSTILE_SHOWN,
      hostile.lastCheck,
      { macro: 'status', title: HOSTILE_SHOWN, color: 'Red' },
      hostile.importsToday,
      hostile.errorsToday,
      hostile.errorRateToday,
      HOSTILE_SHOWN,
      hostile.availability30,
      hostile.note,
    ]);
    const attachment = find(hostilePage, (e) => e.name === 'ri:attachment');
    expect(attachment.attrs['ri:filename']).toBe(`"${HOSTILE_SHOWN}.png`);
  });
});
