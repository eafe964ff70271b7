import { SaxesParser } from 'saxes';

/** A minimal element tree built by a strict XML parser, independent of the package's own parser. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const CONFLUENCE_NAMESPACES =
  'xmlns:ac="http://atlassian.com/content" xmlns:ri="http://atlassian.com/resource/identifier"';

/**
 * Parses a Confluence storage body as XML with the `ac:`/`ri:` prefixes declared, as Confluence
 * does before it accepts a body; throws on anything that is not well-formed.
 */
export function parseStorage(body: string): XmlElement {
  return parseXml(`<root ${CONFLUENCE_NAMESPACES}>${body}</root>`);
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const open: XmlElement[] = [root];
  const current = () => open.at(-1) ?? root;
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) attrs[name] = attribute.value;
    const element: XmlElement = { name: tag.name, attrs, children: [] };
    current().children.push(element);
    open.push(element);
  });
  parser.on('closetag', () => {
    open.pop();
  });
  parser.on('text', (text) => current().children.push(text));
  parser.on('cdata', (text) => current().children.push(text));
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
  const top = root.children[0];
  if (typeof top !== 'object') throw new Error('no root element');
  return top;
}

export function findAll(from: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement) => {
    for (const child of element.children) {
      if (typeof child === 'string') continue;
      if (test(child)) found.push(child);
      visit(child);
    }
  };
  visit(from);
  return found;
}

export function find(from: XmlElement, test: (e: XmlElement) => boolean): XmlElement {
  const found = findAll(from, test)[0];
  if (!found) throw new Error('element not found');
  return found;
}

export function hasClass(name: string): (e: XmlElement) => boolean {
  return (e) => (e.attrs.class ?? '').split(/\s+/).includes(name);
}

export function byClass(from: XmlElement, name: string): XmlElement {
  return find(from, hasClass(name));
}

export function text(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : text(child))).join('');
}

/** The element children of an element (whitespace text left out). */
export function elements(element: XmlElement): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string');
}

/** The value of `<ac:parameter ac:name="…">` inside a macro. */
export function macroParameter(macro: XmlElement, name: string): string {
  return text(find(macro, (e) => e.name === 'ac:parameter' && e.attrs['ac:name'] === name));
}
