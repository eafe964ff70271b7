import { lt, valid } from '@renovatebot/pep440';
import { DomUtils, parseDocument } from 'htmlparser2';
import { isMacroColor, type StatusView } from './types.js';

/** The version written to `version_template`; the Python original wrote `1.103`. */
export const TEMPLATE_VERSION = '2.0';

export interface StoredOnlineSince {
  /** The whole `online_since` element exactly as stored, copied into every new render. */
  element: string;
  /** The `datetime` of its `<time>`, if it has one. */
  date: string | undefined;
}

export interface StoredPage {
  /** Trimmed text of the `version_template` element. */
  versionTemplate: string | undefined;
  onlineSince: StoredOnlineSince | undefined;
  /** Inner markup of the `notes` cell exactly as stored (only pages of template 2.0 on have one). */
  notes: string | undefined;
  /** Title and colour of the status macro in the `status` cell. */
  status: StatusView | undefined;
  /** Trimmed text of the first element carrying each class name, e.g. `last_check` → `2024-05-01 08:00:00`. */
  fields: ReadonlyMap<string, string>;
}

type Element = Parameters<typeof DomUtils.getAttributeValue>[0];
type DomNode = Element['children'][number];

/**
 * Reads what a new render keeps or needs from a stored page body (Confluence storage format). The
 * result holds copies, not views into `body`: a caller may keep it and let the body go.
 */
export function readStoredPage(stored: string): StoredPage {
  const body = withoutHistoryCharts(stored);
  // XML mode: `ac:` names stay as written, `<x/>` closes, CDATA in code macros is not markup.
  const document = parseDocument(body, { xmlMode: true, withStartIndices: true, withEndIndices: true });
  const firstByClass = new Map<string, Element>();
  for (const element of DomUtils.findAll(() => true, document.children)) {
    for (const name of (element.attribs.class ?? '').split(/\s+/)) {
      if (name !== '' && !firstByClass.has(name)) firstByClass.set(name, element);
    }
  }
  const fields = new Map<string, string>();
  for (const [name, element] of firstByClass) fields.set(name, ownCopy(DomUtils.textContent(element).trim()));

  const onlineSince = firstByClass.get('online_since');
  const notes = firstByClass.get('notes');
  const status = firstByClass.get('status');
  return {
    versionTemplate: fields.get('version_template'),
    onlineSince: onlineSince && {
      element: ownCopy(outerSource(body, onlineSince)),
      date: optionalCopy(DomUtils.findOne((e) => e.name === 'time', onlineSince.children)?.attribs.datetime),
    },
    notes: notes && ownCopy(innerSource(body, notes)),
    status: status && readStatusMacro(status),
    fields,
  };
}

const HISTORY_HEADING = '<h1>Verlauf</h1>';
const VERSION_TEMPLATE = '<p class="version_template"';

/**
 * The body without our history section (a year of chart rows, two thirds of a page), which holds
 * nothing a run reads back: it sits after the notes, just before `version_template`, so cutting
 * it moves no element a run copies. Only the last such heading is ours; one typed into the notes
 * comes before it and stays.
 */
function withoutHistoryCharts(body: string): string {
  const from = body.lastIndexOf(HISTORY_HEADING);
  const to = body.lastIndexOf(VERSION_TEMPLATE);
  return from >= 0 && to > from ? body.slice(0, from) + body.slice(to) : body;
}

/**
 * True when a page was written by an older template than ours (PEP 440 order, as the original
 * compares), or carries no readable version; such a page is rebuilt from our template.
 */
export function isTemplateOutdated(versionTemplate: string | undefined): boolean {
  if (versionTemplate === undefined || valid(versionTemplate) === null) return true;
  return lt(versionTemplate, TEMPLATE_VERSION);
}

function readStatusMacro(cell: Element): StatusView | undefined {
  const macro = DomUtils.findOne(
    (e) => e.name === 'ac:structured-macro' && e.attribs['ac:name'] === 'status',
    cell.children,
  );
  if (!macro) return undefined;
  const parameter = (name: string) =>
    DomUtils.findOne((e) => e.name === 'ac:parameter' && e.attribs['ac:name'] === name, macro.children);
  const title = parameter('title');
  const color = parameter('color');
  const colorText = color ? DomUtils.textContent(color).trim() : '';
  return {
    title: title ? ownCopy(DomUtils.textContent(title).trim()) : '',
    // Confluence shows an unknown or missing colour as grey.
    color: isMacroColor(colorText) ? colorText : 'Grey',
  };
}

/**
 * V8 keeps a substring (13 characters and more) as a view that holds on to the whole string; with
 * 2000 node pages read at the start of a run, those views would keep every body (some 13 KB each)
 * alive until the run ends.
 */
function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function optionalCopy(text: string | undefined): string | undefined {
  return text === undefined ? undefined : ownCopy(text);
}

function outerSource(body: string, node: DomNode): string {
  return body.slice(start(node), end(node));
}

function innerSource(body: string, element: Element): string {
  const first = element.children[0];
  const last = element.children.at(-1);
  return first && last ? body.slice(start(first), end(last)) : '';
}

function start(node: DomNode): number {
  return node.startIndex ?? 0;
}

function end(node: DomNode): number {
  return (node.endIndex ?? -1) + 1;
}
