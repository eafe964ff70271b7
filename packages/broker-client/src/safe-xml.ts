/**
 * XML parsing that cannot be turned against us: a body with entity declarations or an internal
 * DTD subset is refused by its structure before any parser sees it (so a "billion laughs" costs
 * one scan, not an expansion), only the five predefined entities and numeric character
 * references are decoded, and depth is bounded. The external DOCTYPE that Java's
 * `Properties.storeToXML` writes (`<!DOCTYPE properties SYSTEM "…">`) is accepted and ignored.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  /** Namespace URI ('' for none). */
  namespace: string;
  localName: string;
  /** Attributes without namespace prefix, values decoded. */
  attributes: ReadonlyMap<string, string>;
  children: ReadonlyArray<XmlElement | string>;
}

/** Why a body was refused; the client turns it into a BrokerResponseError with the URL. */
export class XmlRefusedError extends Error {
  override name = 'XmlRefusedError';
}

const MAX_DEPTH = 64;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
});

/** Decodes, checks and parses a response body into its root element. */
export function parseXml(bytes: Uint8Array): XmlElement {
  const text = withoutExternalDoctype(decodeBody(bytes));
  return parseSimpleDocument(text) ?? parseAnyDocument(text);
}

/** The validator, then the parser: every refusal and its message are theirs. */
export function parseAnyDocument(text: string): XmlElement {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new XmlRefusedError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const roots = toElements(parser.parse(text) as unknown[], new Map(), 0).filter(
    (node): node is XmlElement => typeof node !== 'string',
  );
  if (roots.length !== 1) throw new XmlRefusedError(`malformed XML: ${roots.length} root elements`);
  return roots[0] as XmlElement;
}

/** Text content of an element: its text and CDATA children joined, verbatim. */
export function textOf(element: XmlElement): string {
  return element.children.filter((c): c is string => typeof c === 'string').join('');
}

export function childElements(element: XmlElement, namespace: string, localName: string): XmlElement[] {
  return element.children.filter(
    (c): c is XmlElement => typeof c !== 'string' && c.namespace === namespace && c.localName === localName,
  );
}

function decodeBody(bytes: Uint8Array): string {
  let body = bytes;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  else if ((body[0] === 0xfe && body[1] === 0xff) || (body[0] === 0xff && body[1] === 0xfe)) {
    throw new XmlRefusedError('unsupported encoding: UTF-16');
  }
  const head = Buffer.from(body.subarray(0, 200)).toString('latin1');
  const declared =
    /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  if (['iso-8859-1', 'latin1', 'iso_8859-1', 'l1'].includes(declared))
    return Buffer.from(body).toString('latin1');
  if (!['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(declared)) {
    throw new XmlRefusedError(`unsupported encoding: ${declared}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new XmlRefusedError('malformed XML: invalid UTF-8');
  }
}

/**
 * Refuses entity declarations and internal DTD subsets by structure and removes a single
 * external DOCTYPE, which carries nothing we use.
 */
function withoutExternalDoctype(text: string): string {
  if (/<!ENTITY/i.test(text)) throw new XmlRefusedError('refused XML: entity declaration');
  const starts = [...text.matchAll(/<!DOCTYPE/gi)];
  if (starts.length === 0) return text;
  if (starts.length > 1) throw new XmlRefusedError('refused XML: more than one DOCTYPE');
  const start = starts[0]?.index ?? 0;
  let quote: string | undefined;
  for (let i = start + '<!DOCTYPE'.length; i < text.length; i++) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '[') {
      throw new XmlRefusedError('refused XML: DOCTYPE with an internal subset');
    } else if (char === '>') {
      return text.slice(0, start) + text.slice(i + 1);
    }
  }
  throw new XmlRefusedError('malformed XML: unterminated DOCTYPE');
}

type Namespaces = ReadonlyMap<string, string>;

const DECLARATION =
  /<\?xml version="1\.[0-9]"(?: encoding="[A-Za-z0-9._-]+")?(?: standalone="(?:yes|no)")?\?>/y;
const NAME = '[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?';
const START_TAG_NAME = new RegExp(NAME, 'y');
const ATTRIBUTE = new RegExp(`[ \\t\\n]+(${NAME})=(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const START_TAG_END = /[ \t\n]*(\/?)>/y;
const END_TAG = new RegExp(`</(${NAME})[ \\t\\n]*>`, 'y');
const WHITESPACE = /^[ \t\n]*$/;

interface OpenElement {
  name: string;
  scope: Namespaces;
  children: Array<XmlElement | string>;
}

/**
 * The documents the broker and the DWH send (a declaration, elements, attributes, text) in one
 * pass straight into XmlElements, about 5 times faster than validator plus parser. Anything else
 * (comments, CDATA, processing instructions, `\r`, any error or doubt) gives undefined and goes
 * to parseAnyDocument, so what this accepts it reads exactly as that would (the tests compare
 * both on mutated documents) and every refusal keeps its message.
 */
export function parseSimpleDocument(text: string): XmlElement | undefined {
  try {
    return readSimpleDocument(text);
  } catch (error) {
    // A bad entity reference: parseAnyDocument words it, or finds an earlier error first.
    if (error instanceof XmlRefusedError) return undefined;
    throw error;
  }
}

function readSimpleDocument(text: string): XmlElement | undefined {
  if (text.includes('\r')) return undefined;
  let position = 0;
  if (text.startsWith('<?xml')) {
    DECLARATION.lastIndex = 0;
    if (!DECLARATION.test(text)) return undefined;
    position = DECLARATION.lastIndex;
  }
  const open: OpenElement[] = [];
  let root: XmlElement | undefined;
  while (position < text.length) {
    const tag = text.indexOf('<', position);
    const textEnd = tag < 0 ? text.length : tag;
    if (textEnd > position) {
      const raw = text.slice(position, textEnd);
      const parent = open.at(-1);
      if (parent !== undefined) parent.children.push(decodeEntities(raw));
      else if (!WHITESPACE.test(raw)) return undefined;
    }
    if (tag < 0) break;
    if (text.charCodeAt(tag + 1) === 0x2f /* / */) {
      END_TAG.lastIndex = tag;
      const closing = END_TAG.exec(text);
      const element = open.pop();
      if (closing === null || element === undefined || closing[1] !== element.name) return undefined;
      position = END_TAG.lastIndex;
      continue;
    }
    if (root !== undefined && open.length === 0) return undefined;
    // toElements refuses an element at this depth (its children would be nested too deep).
    if (open.length >= MAX_DEPTH) return undefined;
    START_TAG_NAME.lastIndex = tag + 1;
    const name = START_TAG_NAME.exec(text)?.[0];
    if (name === undefined || name === '__proto__') return undefined;
    position = START_TAG_NAME.lastIndex;
    const parent = open.at(-1);
    let scope = parent?.scope ?? new Map<string, string>();
    const attributes = new Map<string, string>();
    const seen = new Set<string>();
    for (;;) {
      ATTRIBUTE.lastIndex = position;
      const attribute = ATTRIBUTE.exec(text);
      if (attribute === null) break;
      position = ATTRIBUTE.lastIndex;
      const attributeName = attribute[1] as string;
      if (seen.has(attributeName) || attributeName === '__proto__') return undefined;
      seen.add(attributeName);
      const decoded = decodeEntities(attribute[2] ?? attribute[3] ?? '');
      if (attributeName === 'xmlns' || attributeName.startsWith('xmlns:')) {
        if (scope === parent?.scope) scope = new Map(scope);
        (scope as Map<string, string>).set(attributeName === 'xmlns' ? '' : attributeName.slice(6), decoded);
      } else if (!attributeName.includes(':')) attributes.set(attributeName, decoded);
    }
    START_TAG_END.lastIndex = position;
    const end = START_TAG_END.exec(text);
    if (end === null) return undefined;
    position = START_TAG_END.lastIndex;
    const colon = name.indexOf(':');
    const namespace = scope.get(colon < 0 ? '' : name.slice(0, colon));
    if (namespace === undefined && colon >= 0) return undefined;
    const children: Array<XmlElement | string> = [];
    const element: XmlElement = {
      namespace: namespace ?? '',
      localName: colon < 0 ? name : name.slice(colon + 1),
      attributes,
      children,
    };
    if (parent === undefined) root = element;
    else parent.children.push(element);
    if (end[1] !== '/') open.push({ name, scope, children });
  }
  return open.length === 0 ? root : undefined;
}

function toElements(nodes: unknown[], inScope: Namespaces, depth: number): Array<XmlElement | string> {
  if (depth > MAX_DEPTH) throw new XmlRefusedError(`refused XML: nested deeper than ${MAX_DEPTH} elements`);
  const result: Array<XmlElement | string> = [];
  for (const node of nodes) {
    const record = node as Record<string, unknown>;
    const rawAttributes = (record[':@'] ?? {}) as Record<string, string>;
    const name = Object.keys(record).find((key) => key !== ':@');
    if (name === undefined || name === '#comment') continue;
    const value = record[name];
    if (name === '#text') {
      result.push(decodeEntities(String(value)));
      continue;
    }
    if (name === '#cdata') {
      for (const part of value as Array<Record<string, unknown>>) result.push(String(part['#text'] ?? ''));
      continue;
    }
    const scope = new Map(inScope);
    const attributes = new Map<string, string>();
    for (const [attribute, raw] of Object.entries(rawAttributes)) {
      const decoded = decodeEntities(String(raw));
      if (attribute === 'xmlns') scope.set('', decoded);
      else if (attribute.startsWith('xmlns:')) scope.set(attribute.slice(6), decoded);
      else if (!attribute.includes(':')) attributes.set(attribute, decoded);
    }
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const namespace = scope.get(prefix);
    if (namespace === undefined && prefix !== '') {
      throw new XmlRefusedError(`malformed XML: undeclared namespace prefix ${prefix}`);
    }
    result.push({
      namespace: namespace ?? '',
      localName: colon < 0 ? name : name.slice(colon + 1),
      attributes,
      children: toElements(value as unknown[], scope, depth + 1),
    });
  }
  return result;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and numeric references; any other reference is an error. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]{0,12});|&/g, (match, name: string | undefined) => {
    if (name === undefined) throw new XmlRefusedError('malformed XML: bare "&"');
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (numeric !== null) {
      const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
      const allowed =
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      if (allowed) return String.fromCodePoint(code);
    }
    throw new XmlRefusedError(`malformed XML: undefined entity reference ${match.slice(0, 16)}`);
  });
}
