import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderNodePage } from '../src/node-page.js';
import { isTemplateOutdated, readStoredPage, TEMPLATE_VERSION } from '../src/stored-page.js';
import { NODE_FIELDS } from './fields.js';
import { nodeView } from './views.js';
import { byClass, find, findAll, macroParameter, parseStorage, text } from './xml.js';

/** A node page as Confluence returns it after the Python version (template 1.103) wrote it. */
const pythonEraPage = readFileSync(new URL('fixtures/python-era-page.xml', import.meta.url), 'utf8');

describe('readStoredPage', () => {
  it('reads version, start date, status and fields of a Python-era page', () => {
    const stored = readStoredPage(pythonEraPage);
    expect(stored.versionTemplate).toBe('1.103');
    expect(stored.onlineSince).toEqual({
      element: '<td class="online_since"><time datetime="2020-01-01" /></td>',
      date: '2020-01-01',
    });
    expect(stored.notes).toBeUndefined();
    expect(stored.status).toEqual({ title: 'LOW ERROR RATE', color: 'Yellow' });
    expect(stored.fields.get('interface_import')).toBe('HL7 & CSV');
    expect(stored.fields.get('last_check')).toBe('2024-05-02 01:00:07');
    expect(stored.fields.get('daily_error_rate')).toBe('1.27');
    expect(stored.fields.get('error_rate')).toBe('0.75');
  });

  it('reads back every field this package wrote', () => {
    const view = nodeView();
    const stored = readStoredPage(renderNodePage(view));
    expect(stored.versionTemplate).toBe(TEMPLATE_VERSION);
    for (const [cls, value] of NODE_FIELDS) expect(stored.fields.get(cls), cls).toBe(value(view));
    expect(stored.status).toEqual(view.status);
    expect(stored.notes).toBe('');
  });

  it('finds nothing in a body without our fields', () => {
    const stored = readStoredPage('<p>Seite ohne Vorlage</p>');
    expect(stored).toMatchObject({ versionTemplate: undefined, onlineSince: undefined, notes: undefined });
    expect(stored.status).toBeUndefined();
  });

  it('shows an unknown status colour as grey, as Confluence does', () => {
    const body =
      '<td class="status"><ac:structured-macro ac:name="status"><ac:parameter ac:name="title">X</ac:parameter>' +
      '<ac:parameter ac:name="color">Purple</ac:parameter></ac:structured-macro></td>';
    expect(readStoredPage(body).status).toEqual({ title: 'X', color: 'Grey' });
  });
});

describe('isTemplateOutdated', () => {
  it.each([
    ['1.103', true],
    ['1.999', true],
    ['2.0rc1', true],
    ['2.0', false],
    ['2.0.0', false],
    ['2.1', false],
    ['10.0', false],
    ['not a version', true],
    [undefined, true],
  ])('%s → %s', (version, outdated) => {
    expect(isTemplateOutdated(version)).toBe(outdated);
  });
});

describe('migrating a Python-era page', () => {
  const view = nodeView({ onlineSince: '2024-01-01' });
  const migrated = renderNodePage(view, readStoredPage(pythonEraPage));
  const page = parseStorage(migrated);

  it('rebuilds it from our template, well-formed, with our version', () => {
    expect(isTemplateOutdated(readStoredPage(pythonEraPage).versionTemplate)).toBe(true);
    expect(text(byClass(page, 'version_template'))).toBe(TEMPLATE_VERSION);
  });

  it('keeps the stored start date element and adds an empty notes section', () => {
    expect(migrated).toContain('<td class="online_since"><time datetime="2020-01-01" /></td>');
    expect(find(byClass(page, 'online_since'), (e) => e.name === 'time').attrs.datetime).toBe('2020-01-01');
    expect(byClass(page, 'notes').children).toEqual([]);
  });

  it('fills every field from the new view, none from the old page', () => {
    for (const [cls, value] of NODE_FIELDS) expect(text(byClass(page, cls)), cls).toBe(value(view));
    const status = find(byClass(page, 'status'), (e) => e.name === 'ac:structured-macro');
    expect(macroParameter(status, 'title')).toBe(view.status.title);
    const errorCells = findAll(byClass(page, 'table_errors_body'), (e) => e.name === 'td').map(text);
    expect(errorCells).toEqual(view.errors.flatMap((e) => [e.timestamp, e.repeats, e.content]));
  });

  it('stays as it is on the next run', () => {
    const next = renderNodePage(view, readStoredPage(migrated));
    expect(next).toBe(migrated);
  });
});

describe('the history section of a stored page', () => {
  it('is not read back, and a heading of that name typed into the notes stays in them', () => {
    const notes = '<h1>Verlauf</h1><p>Schnittstelle am 3.5. umgestellt</p>';
    const body = renderNodePage(nodeView(), { onlineSince: undefined, notes });
    const stored = readStoredPage(body);
    expect(stored.notes).toBe(notes);
    expect(stored.fields.get('availability_30')).toBe('96,7 %');
    expect(stored.fields.get('version_template')).toBe(TEMPLATE_VERSION);
    expect(stored.fields.has('availability_rule')).toBe(false);
  });
});
