import { DomUtils, parseDocument } from 'htmlparser2';

type Document = ReturnType<typeof parseDocument>;
export type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];

export function parseHtml(html: string): Document {
  return parseDocument(html);
}

/** Text of the first element carrying a class, trimmed. */
export function textOfClass(root: Document | Element, cls: string): string | undefined {
  const element = DomUtils.findOne(
    (e) => (e.attribs.class ?? '').split(/\s+/).includes(cls),
    'children' in root ? root.children : [],
  );
  return element ? DomUtils.textContent(element).trim() : undefined;
}

export function elements(root: Document, name?: string): Element[] {
  return DomUtils.findAll((e) => name === undefined || e.name === name, root.children);
}

/** Every URL the document refers to (href, src, and url(…) in style attributes). */
export function referencedUrls(root: Document): string[] {
  const urls: string[] = [];
  for (const element of elements(root)) {
    for (const attribute of ['href', 'src', 'srcset', 'action', 'poster', 'data']) {
      const value = element.attribs[attribute];
      if (value !== undefined) urls.push(value);
    }
    for (const match of (element.attribs.style ?? '').matchAll(/url\(([^)]*)\)/g)) urls.push(match[1] ?? '');
  }
  return urls;
}

/** The summary rows of the report index: node link text → cells' texts. */
export function indexRows(root: Document): Map<string, string[]> {
  const body = DomUtils.findOne((e) => e.attribs.class === 'table_summary_body', root.children);
  const rows = new Map<string, string[]>();
  for (const tr of body ? DomUtils.getElementsByTagName('tr', body.children) : []) {
    const cells = DomUtils.getElementsByTagName('td', tr.children).map((td) =>
      DomUtils.textContent(td).trim(),
    );
    if (cells.length > 1) rows.set(cells[0] ?? '', cells);
  }
  return rows;
}
