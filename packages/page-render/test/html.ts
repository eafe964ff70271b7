import { parseDocument } from 'htmlparser2';
import type { XmlElement } from './xml.js';

type DomNode = ReturnType<typeof parseDocument>['children'][number];

/** Parses an HTML5 document (as a browser would, not as XML) into the tree the XML helpers use. */
export function parseHtml(html: string): XmlElement {
  const document = parseDocument(html);
  return { name: '#document', attrs: {}, children: convert(document.children) };
}

function convert(nodes: DomNode[]): (XmlElement | string)[] {
  return nodes.flatMap((node): (XmlElement | string)[] => {
    if ('attribs' in node)
      return [{ name: node.name, attrs: { ...node.attribs }, children: convert(node.children) }];
    if (node.type === 'text') return [node.data];
    return [];
  });
}
