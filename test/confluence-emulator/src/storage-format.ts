import { randomUUID } from 'node:crypto';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** Namespaces Confluence binds for the storage format; any other prefix is an error, as on the server. */
const storageNamespaces = {
  ac: 'http://atlassian.com/content',
  ri: 'http://atlassian.com/resource/identifier',
};

/** Thrown for a body the real server would reject with HTTP 400 "Error parsing xhtml". */
export class StorageFormatError extends Error {
  override name = 'StorageFormatError';
}

export interface NormaliseOptions {
  /** Confluence Cloud also stamps an `ac:local-id` on every macro it stores. */
  addLocalIds?: boolean;
  /** Source of macro ids; random UUIDs unless a test wants them fixed. */
  newId?: () => string;
}

/**
 * Parses a storage-format body as XML (the server uses a strict XML reader, so anything that is not
 * well-formed is rejected) and re-serialises it the way Confluence stores it: empty elements written
 * as `<name />`, attributes in double quotes, comments dropped, and `ac:schema-version` /
 * `ac:macro-id` added to every `ac:structured-macro` that lacks them. The result therefore differs
 * from what a client sent, which is why clients cannot detect "unchanged" by comparing bodies.
 */
export function normaliseStorage(body: string, options: NormaliseOptions = {}): string {
  const newId = options.newId ?? randomUUID;
  const parser = new SaxesParser({ xmlns: true, fragment: true, additionalNamespaces: storageNamespaces });
  let out = '';
  // One entry per open element: true once its start tag has been closed with '>'.
  const open: boolean[] = [];

  const closeStartTag = (): void => {
    if (open.length > 0 && open[open.length - 1] === false) {
      out += '>';
      open[open.length - 1] = true;
    }
  };

  parser.on('error', (error) => {
    throw new StorageFormatError(`Error parsing xhtml: ${describeSaxesError(error.message)}`);
  });
  parser.on('doctype', () => {
    parser.fail('DOCTYPE is not allowed in storage format');
  });
  parser.on('text', (text) => {
    closeStartTag();
    out += escapeText(text);
  });
  parser.on('cdata', (cdata) => {
    closeStartTag();
    out += `<![CDATA[${cdata}]]>`;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    closeStartTag();
    const attributes = Object.values(tag.attributes).map((a) => [a.name, a.value] as [string, string]);
    if (tag.name === 'ac:structured-macro') {
      addMissing(attributes, 'ac:schema-version', () => '1');
      addMissing(attributes, 'ac:macro-id', newId);
      if (options.addLocalIds) addMissing(attributes, 'ac:local-id', newId);
    }
    out += `<${tag.name}${attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('')}`;
    open.push(false);
  });
  parser.on('closetag', (tag) => {
    const hadContent = open.pop();
    out += hadContent ? `</${tag.name}>` : ' />';
  });

  parser.write(body).close();
  return out;
}

function addMissing(attributes: [string, string][], name: string, value: () => string): void {
  if (!attributes.some(([existing]) => existing === name)) attributes.push([name, value()]);
}

function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
}

/** saxes says "1:12: unexpected close tag."; Confluence says "… at [row,col {unknown-source}]: [1,12]". */
function describeSaxesError(message: string): string {
  const match = /^(\d+):(\d+): (.*)$/s.exec(message);
  if (!match) return message;
  return `${match[3]}\n at [row,col {unknown-source}]: [${match[1]},${match[2]}]`;
}
