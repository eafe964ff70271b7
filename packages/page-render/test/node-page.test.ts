import { describe, expect, it } from 'vitest';
import { PageRenderError } from '../src/errors.js';
import { renderNodePage } from '../src/node-page.js';
import { readStoredPage, TEMPLATE_VERSION } from '../src/stored-page.js';
import { expectEveryField, HOSTILE, HOSTILE_SHOWN, VIEWS_BY_STATUS } from './fields.js';
import { nodeView } from './views.js';
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

function statusOf(page: XmlElement) {
  const cell = byClass(page, 'status');
  const macro = find(cell, (e) => e.name === 'ac:structured-macro');
  return {
    cell: cell.name,
    style: cell.attrs.style,
    macro: macro.attrs['ac:name'],
    title: macroParameter(macro, 'title'),
    color: macroParameter(macro, 'color'),
  };
}

describe('renderNodePage', () => {
  it.each(VIEWS_BY_STATUS)('shows every field of a %s node', (_title, view) => {
    const page = parseStorage(renderNodePage(view));
    expectEveryField(page, view);
    expect(statusOf(page)).toEqual({
      cell: 'td',
      style: 'text-align:center;',
      macro: 'status',
      title: view.status.title,
      color: view.status.color,
    });
    expect(text(byClass(page, 'version_template'))).toBe(TEMPLATE_VERSION);
  });

  it('writes the Jira macro with the parameters of the original and the labels as JQL', () => {
    const page = parseStorage(renderNodePage(nodeView({ jiraLabels: ['label1', 'label2'] })));
    const paragraph = byClass(page, 'table_jira');
    expect(paragraph.name).toBe('p');
    const macro = find(paragraph, (e) => e.name === 'ac:structured-macro');
    expect(macro.attrs['ac:name']).toBe('jira');
    expect(macroParameter(macro, 'server')).toBe('Jira IMI Cloud');
    expect(macroParameter(macro, 'columnIds')).toBe(
      'issuekey,summary,issuetype,created,updated,duedate,assignee,reporter,priority,status,resolution',
    );
    expect(macroParameter(macro, 'columns')).toBe(
      'key,summary,type,created,updated,due,assignee,reporter,priority,status,resolution',
    );
    expect(macroParameter(macro, 'maximumIssues')).toBe('25');
    expect(macroParameter(macro, 'jqlQuery')).toBe(
      'project=AKTIN AND ( Labels="label1" OR Labels="label2" )',
    );
  });

  it.each([
    [['label3'], 'project=AKTIN AND ( Labels="label3" )'],
    [[], 'project=AKTIN AND Labels="empty"'],
    [['a"b\\c'], 'project=AKTIN AND ( Labels="a\\"b\\\\c" )'],
  ])('builds the JQL for labels %j', (labels, query) => {
    const page = parseStorage(renderNodePage(nodeView({ jiraLabels: labels })));
    expect(macroParameter(byClass(page, 'table_jira'), 'jqlQuery')).toBe(query);
  });

  it('lists the errors under a timestamp | repeats | content header, in the given order', () => {
    const errors = Array.from({ length: 20 }, (_, i) => ({
      timestamp: `2024-01-${String(25 - i).padStart(2, '0')} 11:00:00`,
      repeats: String(25 - i),
      content: `TestError${25 - i}`,
    }));
    const page = parseStorage(renderNodePage(nodeView({ errors })));
    const body = byClass(page, 'table_errors_body');
    expect(body.name).toBe('tbody');
    const [header, ...rows] = elements(body);
    expect(elements(header as XmlElement).map((th) => [th.name, text(th)])).toEqual([
      ['th', 'timestamp'],
      ['th', 'repeats'],
      ['th', 'content'],
    ]);
    expect(rows.map((row) => elements(row).map(text))).toEqual(
      errors.map((e) => [e.timestamp, e.repeats, e.content]),
    );
  });

  it('keeps only the header row when there are no errors', () => {
    const page = parseStorage(renderNodePage(nodeView({ errors: [] })));
    const body = byClass(page, 'table_errors_body');
    expect(elements(body)).toHaveLength(1);
    expect(findAll(body, (e) => e.name === 'td')).toHaveLength(0);
  });

  it('writes each contact type as a wrapped table of name and mailto link', () => {
    const contacts = {
      ed: [{ name: 'Dr. Erika Muster', email: 'erika@klinik.example' }],
      it: [
        { name: 'Max Admin', email: 'max@klinik.example' },
        { name: 'Team IT', email: 'it@klinik.example' },
      ],
    };
    const page = parseStorage(renderNodePage(nodeView({ contacts })));
    for (const [cls, list] of [
      ['contact_ed', contacts.ed],
      ['contact_it', contacts.it],
    ] as const) {
      const cell = byClass(page, cls);
      expect(cell.name).toBe('td');
      const [table] = elements(cell);
      expect(table?.name).toBe('table');
      expect(table?.attrs.class).toBe('wrapped');
      const rows = findAll(cell, (e) => e.name === 'tr');
      expect(
        rows.map((row) => {
          const [name, mail] = elements(row);
          const link = find(mail as XmlElement, (e) => e.name === 'a');
          return [name?.attrs.style, text(name as XmlElement), link.attrs.href, text(link)];
        }),
      ).toEqual(list.map((c) => ['text-align: center;', c.name, `mailto:${c.email}`, c.email]));
    }
  });

  it('writes an empty contact table when a node has no contacts', () => {
    const page = parseStorage(renderNodePage(nodeView({ contacts: { ed: [], it: [] } })));
    expect(findAll(byClass(page, 'contact_ed'), (e) => e.name === 'tr')).toHaveLength(0);
    expect(find(byClass(page, 'contact_it'), (e) => e.name === 'tbody').children).toHaveLength(0);
  });

  it('creates the monitoring start date and an empty notes section on a new page', () => {
    const body = renderNodePage(nodeView({ onlineSince: '2022-01-01' }));
    expect(body).toContain('<td class="online_since"><time datetime="2022-01-01"></time></td>');
    const page = parseStorage(body);
    expect(byClass(page, 'notes').children).toEqual([]);
    const headings = findAll(page, (e) => e.name === 'h1').map(text);
    expect(headings).toContain('Notizen');
  });

  it('leaves the start date empty when none is known yet', () => {
    const page = parseStorage(renderNodePage(nodeView({ onlineSince: undefined })));
    expect(byClass(page, 'online_since').children).toEqual([]);
  });

  it('rejects a start date that is not YYYY-MM-DD', () => {
    expect(() => renderNodePage(nodeView({ onlineSince: '2022-01-01T00:00:00' }))).toThrow(PageRenderError);
  });

  it('keeps the stored start date and notes on later renders', () => {
    const first = renderNodePage(nodeView({ onlineSince: '2021-03-15' }));
    const notes =
      '<p>Wechsel auf <strong>ORBIS</strong> am 1. April &amp; neue Schnittstelle &lt;HL7&gt;</p>' +
      '<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="4f1c"><ac:plain-text-body>' +
      '<![CDATA[</td></tr> & <b>kein Markup</b>]]></ac:plain-text-body></ac:structured-macro><p><br/></p>';
    const edited = first.replace('<td class="notes"></td>', `<td class="notes">${notes}</td>`);

    const later = renderNodePage(
      nodeView({ onlineSince: '2024-01-01', status: { title: 'OFFLINE', color: 'Red' } }),
      readStoredPage(edited),
    );

    expect(later).toContain(`<td class="notes">${notes}</td>`);
    expect(later).toContain('<td class="online_since"><time datetime="2021-03-15"></time></td>');
    expect(later).not.toContain('2024-01-01');
    const page = parseStorage(later);
    expect(statusOf(page).title).toBe('OFFLINE');
  });

  it('keeps the start date in the form Confluence stores it', () => {
    const stored = renderNodePage(nodeView({ onlineSince: '2021-03-15' })).replace(
      '<time datetime="2021-03-15"></time>',
      '<time datetime="2021-03-15" />',
    );
    const later = renderNodePage(nodeView({ onlineSince: '2024-01-01' }), readStoredPage(stored));
    expect(later).toContain('<td class="online_since"><time datetime="2021-03-15" /></td>');
    parseStorage(later);
  });

  it('writes the start date once a stored page without one learns it', () => {
    const stored = renderNodePage(nodeView({ onlineSince: undefined }));
    const later = renderNodePage(nodeView({ onlineSince: '2024-01-01' }), readStoredPage(stored));
    expect(text(byClass(parseStorage(later), 'online_since'))).toBe('');
    expect(later).toContain('<time datetime="2024-01-01"></time>');
  });

  it('renders the same body again from its own output', () => {
    const view = nodeView();
    const once = renderNodePage(view, readStoredPage(renderNodePage(view)));
    expect(renderNodePage(view, readStoredPage(once))).toBe(once);
  });

  describe('with hostile text from nodes, mapping and contacts', () => {
    const view = nodeView({
      commonName: HOSTILE,
      clinicName: HOSTILE,
      informationSystem: HOSTILE,
      interfaceImport: HOSTILE,
      root: { patient: HOSTILE, encounter: 'x', billing: 'y' },
      lastCheck: HOSTILE,
      daily: { imported: HOSTILE, updated: '1', invalid: '2', failed: '3', errorRate: '4' },
      status: { title: HOSTILE, color: 'Red' },
      errors: [{ timestamp: HOSTILE, repeats: HOSTILE, content: HOSTILE }],
      resources: {
        versions: { ...nodeView().resources.versions, os: HOSTILE },
        scripts: { ...nodeView().resources.scripts, 'import-scripts': HOSTILE },
      },
      contacts: { ed: [{ name: HOSTILE, email: `a"b'<c>&d@x.example` }], it: [] },
      jiraLabels: [HOSTILE],
    });
    const body = renderNodePage(view);

    it('produces a well-formed body without raw markup from the text', () => {
      expect(() => parseStorage(body)).not.toThrow();
      expect(body).not.toContain('<script');
      expect(body).not.toContain('\u001b');
    });

    it('shows the text unchanged apart from characters XML forbids', () => {
      const page = parseStorage(body);
      for (const cls of [
        'clinic_name',
        'information_system',
        'interface_import',
        'root_patient',
        'last_check',
      ]) {
        expect(text(byClass(page, cls)), cls).toBe(HOSTILE_SHOWN);
      }
      expect(text(byClass(page, 'daily_imported'))).toBe(HOSTILE_SHOWN);
      expect(text(byClass(page, 'os'))).toBe(HOSTILE_SHOWN);
      expect(text(byClass(page, 'import-scripts'))).toBe(HOSTILE_SHOWN);
      expect(statusOf(page).title).toBe(HOSTILE_SHOWN);
      const errorCells = findAll(byClass(page, 'table_errors_body'), (e) => e.name === 'td').map(text);
      expect(errorCells).toEqual([HOSTILE_SHOWN, HOSTILE_SHOWN, HOSTILE_SHOWN]);
      const contact = byClass(page, 'contact_ed');
      expect(text(find(contact, (e) => e.name === 'td'))).toBe(HOSTILE_SHOWN);
      expect(find(contact, (e) => e.name === 'a').attrs.href).toBe(`mailto:a"b'<c>&d@x.example`);
      expect(macroParameter(byClass(page, 'table_jira'), 'jqlQuery')).toBe(
        `project=AKTIN AND ( Labels="${HOSTILE_SHOWN.replaceAll('"', '\\"')}" )`,
      );
    });
  });
});

describe('the history section of a node page', () => {
  const body = renderNodePage(nodeView({ importNote: 'Importe auffällig niedrig: 41 statt üblich 390' }));
  const page = parseStorage(body);

  it('shows the availability with the rule behind it, and the note under the status', () => {
    expect(text(byClass(page, 'availability_30'))).toBe('96,7 %');
    expect(text(byClass(page, 'availability_365'))).toBe('99,1 %');
    expect(text(byClass(page, 'availability_rule'))).toContain('zählen nicht mit');
    expect(text(byClass(page, 'import_note'))).toBe('Importe auffällig niedrig: 41 statt üblich 390');
    expect(text(byClass(page, 'dwh_restarts'))).toBe('DWH-Neustarts: 02.05.2024');
  });

  it('draws both charts with Confluence’s chart macro from tables of the days with figures', () => {
    const charts = findAll(page, (e) => e.name === 'ac:structured-macro' && e.attrs['ac:name'] === 'chart');
    expect(charts).toHaveLength(2);
    const rows = charts.map((chart) =>
      findAll(chart, (e) => e.name === 'tr').map((tr) => elements(tr).map(text)),
    );
    expect(rows[0]).toEqual([
      ['Tag', 'Importe'],
      ['2024-04-30', '150'],
      ['2024-05-02', '158'],
    ]);
    expect(rows[1]).toEqual([
      ['Tag', 'Fehlerrate'],
      ['2024-04-30', '1.5'],
      ['2024-05-02', '1.27'],
    ]);
  });

  it('adds no note row and keeps every other field without a note', () => {
    const plain = parseStorage(renderNodePage(nodeView()));
    expect(findAll(plain, (e) => e.attrs.class === 'import_note')).toEqual([]);
  });
});
