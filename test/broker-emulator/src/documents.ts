/**
 * Builders for the XML documents the real broker serves, byte for byte in the shape its
 * marshallers write them (JAXB for the broker's own types and the DWH's import statistics,
 * `java.util.Properties.storeToXML` for the node resources).
 */
import { formatInstant, formatXsDateTime } from './time-format.js';

export const AKTIN_NAMESPACE = 'http://aktin.org/ns/exchange';

const JAXB_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Text escaping as JAXB and the JDK's XML writer do it (`&`, `<`, `>`; plus `"` in attributes). */
export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeText(text).replaceAll('"', '&quot;');
}

/** A time the DWH writes: a `Date` is formatted as JAXB would, a string is taken verbatim. */
export type WireTime = Date | string;

export interface ImportErrorInput {
  timestamp: WireTime;
  /** Absent when the error happened once (the DWH then omits the attribute). */
  repeats?: number | string;
  content: string;
}

export interface ImportStatisticsInput {
  start: WireTime;
  lastWrite?: WireTime;
  lastReject?: WireTime;
  imported: number | string;
  updated: number | string;
  invalid: number | string;
  failed: number | string;
  errors?: readonly ImportErrorInput[];
}

export interface ImportStatisticsFormat {
  /** Zone of the DWH's JVM; its offset goes into every timestamp. Default Europe/Berlin. */
  timeZone?: string;
}

/**
 * The `stats` resource as the DWH uploads it (`JAXB.marshal`: no namespace, formatted output,
 * `repeats` before `timestamp`, `<last-errors/>` when empty).
 */
export function importStatisticsXml(
  stats: ImportStatisticsInput,
  format: ImportStatisticsFormat = {},
): string {
  const timeZone = format.timeZone ?? 'Europe/Berlin';
  const time = (value: WireTime): string =>
    typeof value === 'string' ? value : formatXsDateTime(value, timeZone);
  const lines = [
    JAXB_DECLARATION,
    '<import-statistics>',
    `    <start>${escapeText(time(stats.start))}</start>`,
  ];
  if (stats.lastWrite !== undefined)
    lines.push(`    <last-write>${escapeText(time(stats.lastWrite))}</last-write>`);
  if (stats.lastReject !== undefined)
    lines.push(`    <last-reject>${escapeText(time(stats.lastReject))}</last-reject>`);
  lines.push(
    `    <imported>${stats.imported}</imported>`,
    `    <updated>${stats.updated}</updated>`,
    `    <invalid>${stats.invalid}</invalid>`,
    `    <failed>${stats.failed}</failed>`,
  );
  const errors = stats.errors ?? [];
  if (errors.length === 0) {
    lines.push('    <last-errors/>');
  } else {
    lines.push('    <last-errors>');
    for (const error of errors) {
      const repeats =
        error.repeats === undefined ? '' : ` repeats="${escapeAttribute(String(error.repeats))}"`;
      lines.push(
        `        <error${repeats} timestamp="${escapeAttribute(time(error.timestamp))}">${escapeText(error.content)}</error>`,
      );
    }
    lines.push('    </last-errors>');
  }
  lines.push('</import-statistics>', '');
  return lines.join('\n');
}

/** A node resource (versions, rscript, python, import-scripts) as `Properties.storeToXML` writes it. */
export function propertiesXml(
  entries: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
  comment?: string,
): string {
  const list =
    Symbol.iterator in entries
      ? [...(entries as Iterable<readonly [string, string]>)]
      : Object.entries(entries);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    '<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">',
    '<properties>',
  ];
  if (comment) lines.push(`<comment>${escapeText(comment)}</comment>`);
  for (const [key, value] of list)
    lines.push(`<entry key="${escapeAttribute(key)}">${escapeText(value)}</entry>`);
  lines.push('</properties>', '');
  return lines.join('\n');
}

export interface NodeDocumentInput {
  id: number | string;
  clientDN?: string;
  lastContact?: WireTime;
  websocket: boolean;
  /** Only `GET /broker/node/{id}` carries modules; the list leaves them out. */
  modules?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Element names of the broker's own documents. JAXB RI binds the exchange namespace to a
 * generated prefix (`ns2`) for documents whose context also knows unqualified elements — the
 * map entries of `Node.modules` — so node documents come prefixed; `prefix: ''` gives the
 * default-namespace form for clients that must accept both.
 */
function qualify(prefix: string): (local: string) => string {
  return prefix === '' ? (local) => local : (local) => `${prefix}:${local}`;
}

function namespaceDeclaration(prefix: string): string {
  return prefix === '' ? ` xmlns="${AKTIN_NAMESPACE}"` : ` xmlns:${prefix}="${AKTIN_NAMESPACE}"`;
}

function nodeBody(node: NodeDocumentInput, q: (local: string) => string): string {
  let body = `<${q('id')}>${escapeText(String(node.id))}</${q('id')}>`;
  if (node.clientDN !== undefined)
    body += `<${q('clientDN')}>${escapeText(node.clientDN)}</${q('clientDN')}>`;
  if (node.lastContact !== undefined) {
    const text = typeof node.lastContact === 'string' ? node.lastContact : formatInstant(node.lastContact);
    body += `<${q('last-contact')}>${escapeText(text)}</${q('last-contact')}>`;
  }
  body += `<${q('websocket')}>${node.websocket}</${q('websocket')}>`;
  if (node.modules !== undefined) {
    // Map entries are unqualified in JAXB RI; with a prefixed namespace they need no xmlns="".
    const entries = node.modules
      .map(
        ([key, value]) => `<entry><key>${escapeText(key)}</key><value>${escapeText(value)}</value></entry>`,
      )
      .join('');
    body += entries === '' ? `<${q('modules')}/>` : `<${q('modules')}>${entries}</${q('modules')}>`;
  }
  return body;
}

/** `GET /broker/node`: `<node-list>` of `<node>` in the exchange namespace, unformatted. */
export function nodeListXml(nodes: readonly NodeDocumentInput[], prefix = 'ns2'): string {
  const q = qualify(prefix);
  const items = nodes.map((node) => `<${q('node')}>${nodeBody(node, q)}</${q('node')}>`).join('');
  const root = q('node-list');
  return `${JAXB_DECLARATION}<${root}${namespaceDeclaration(prefix)}>${items}</${root}>`;
}

/** `GET /broker/node/{id}`: one `<node>` with websocket and modules. */
export function nodeXml(node: NodeDocumentInput, prefix = 'ns2'): string {
  const q = qualify(prefix);
  return `${JAXB_DECLARATION}<${q('node')}${namespaceDeclaration(prefix)}>${nodeBody(node, q)}</${q('node')}>`;
}

/** `GET /broker/status` (its JAXB context has no unqualified elements: default namespace). */
export function brokerStatusXml(now: Date, version: string): string {
  const modules = ['broker-api', 'broker-server']
    .map((id) => `<module id="${id}"><version>${escapeText(version)}</version></module>`)
    .join('');
  return `${JAXB_DECLARATION}<broker-status xmlns="${AKTIN_NAMESPACE}"><timestamp>${formatInstant(now)}</timestamp><node-software>${modules}</node-software></broker-status>`;
}

/** A "billion laughs" document: nested entity declarations that expand to gigabytes. */
export function entityBombXml(): string {
  const declarations = ['<!ENTITY lol0 "lol">'];
  for (let level = 1; level <= 9; level++) {
    const previous = `&lol${level - 1};`.repeat(10);
    declarations.push(`<!ENTITY lol${level} "${previous}">`);
  }
  return `<?xml version="1.0"?>\n<!DOCTYPE properties [\n${declarations.join('\n')}\n]>\n<properties><entry key="bomb">&lol9;</entry></properties>\n`;
}

/** The HTML error page Jetty renders when Jersey answers with a status and no entity. */
export function errorPageHtml(status: number, reason: string, path: string): string {
  return [
    '<html>',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
    `<title>Error ${status} ${escapeText(reason)}</title>`,
    '</head>',
    `<body><h2>HTTP ERROR ${status} ${escapeText(reason)}</h2>`,
    '<table>',
    `<tr><th>URI:</th><td>${escapeText(path)}</td></tr>`,
    `<tr><th>STATUS:</th><td>${status}</td></tr>`,
    `<tr><th>MESSAGE:</th><td>${escapeText(reason)}</td></tr>`,
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
