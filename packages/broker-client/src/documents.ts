/**
 * Reads the broker's documents into typed values. Everything the store keeps verbatim (times,
 * last-contact, error texts) stays the exact broker text; ids and counters are checked to be
 * plain digits before anything else sees them.
 */
import { childElements, textOf, type XmlElement, XmlRefusedError } from './safe-xml.js';

export const AKTIN_NAMESPACE = 'http://aktin.org/ns/exchange';

export interface BrokerNode {
  /** Digits only (checked), so it is safe as a folder name. */
  id: string;
  clientDN: string;
  /** `Instant.toString()` text as the broker sends it; absent when the broker has none. */
  lastContact?: string;
}

export interface ImportError {
  /** Broker text, verbatim (the DWH's local time with offset). */
  timestamp: string;
  /** Digits; absent when the DWH left it out (the error happened once). */
  repeats?: string;
  content: string;
}

export interface ImportStatistics {
  /** DWH start, verbatim. */
  start: string;
  lastWrite?: string;
  lastReject?: string;
  imported: number;
  updated: number;
  invalid: number;
  failed: number;
  /** The DWH's last errors (at most 20), in document order. */
  errors: ImportError[];
}

/** A resource's entries in document order; empty text is ''. */
export type ResourceEntries = Array<[key: string, value: string]>;

const DIGITS = /^\d+$/;

function refuse(message: string): never {
  throw new XmlRefusedError(message);
}

function expectRoot(root: XmlElement, namespace: string, localName: string): void {
  if (root.namespace !== namespace || root.localName !== localName) {
    const expected = namespace === '' ? localName : `{${namespace}}${localName}`;
    const found = root.namespace === '' ? root.localName : `{${root.namespace}}${root.localName}`;
    refuse(`unexpected document: expected <${expected}>, got <${found}>`);
  }
}

function single(parent: XmlElement, namespace: string, localName: string): XmlElement | undefined {
  const found = childElements(parent, namespace, localName);
  if (found.length > 1) refuse(`more than one <${localName}> in <${parent.localName}>`);
  return found[0];
}

/** Checks a node id from the broker: plain digits, nothing a path could be built from. */
export function checkNodeId(text: string): string {
  if (!DIGITS.test(text) || text.length > 10) refuse(`invalid node id ${JSON.stringify(text.slice(0, 40))}`);
  return text;
}

export function readNodeList(root: XmlElement): BrokerNode[] {
  expectRoot(root, AKTIN_NAMESPACE, 'node-list');
  const seen = new Set<string>();
  return childElements(root, AKTIN_NAMESPACE, 'node').map((node) => {
    const idElement = single(node, AKTIN_NAMESPACE, 'id') ?? refuse('node without <id>');
    const id = checkNodeId(textOf(idElement).trim());
    if (seen.has(id)) refuse(`node id ${id} listed twice`);
    seen.add(id);
    const clientDN = single(node, AKTIN_NAMESPACE, 'clientDN');
    const lastContact = single(node, AKTIN_NAMESPACE, 'last-contact');
    const lastContactText = lastContact === undefined ? '' : textOf(lastContact);
    return {
      id,
      clientDN: clientDN === undefined ? '' : textOf(clientDN),
      ...(lastContactText === '' ? {} : { lastContact: lastContactText }),
    };
  });
}

function counter(root: XmlElement, name: string): number {
  const element = single(root, '', name) ?? refuse(`import statistics without <${name}>`);
  const text = textOf(element).trim();
  const value = Number(text);
  if (!DIGITS.test(text) || !Number.isSafeInteger(value)) {
    refuse(`invalid number in <${name}>: ${JSON.stringify(text.slice(0, 40))}`);
  }
  return value;
}

function optionalTime(root: XmlElement, name: string): string | undefined {
  const element = single(root, '', name);
  const text = element === undefined ? '' : textOf(element);
  return text === '' ? undefined : text;
}

/** `<import-statistics>` (no namespace) as the DWH uploads it: counters and last errors in one document. */
export function readImportStatistics(root: XmlElement): ImportStatistics {
  expectRoot(root, '', 'import-statistics');
  const start = optionalTime(root, 'start') ?? refuse('import statistics without <start>');
  const lastWrite = optionalTime(root, 'last-write');
  const lastReject = optionalTime(root, 'last-reject');
  const lastErrors = single(root, '', 'last-errors');
  const errors = (lastErrors === undefined ? [] : childElements(lastErrors, '', 'error')).map((error) => {
    const timestamp = error.attributes.get('timestamp');
    if (timestamp === undefined || timestamp === '') refuse('<error> without timestamp');
    const repeats = error.attributes.get('repeats');
    if (repeats !== undefined && !DIGITS.test(repeats)) {
      refuse(`invalid repeats on <error>: ${JSON.stringify(repeats.slice(0, 40))}`);
    }
    return { timestamp, ...(repeats === undefined ? {} : { repeats }), content: textOf(error) };
  });
  return {
    start,
    ...(lastWrite === undefined ? {} : { lastWrite }),
    ...(lastReject === undefined ? {} : { lastReject }),
    imported: counter(root, 'imported'),
    updated: counter(root, 'updated'),
    invalid: counter(root, 'invalid'),
    failed: counter(root, 'failed'),
    errors,
  };
}

/**
 * Java properties XML (`<properties><entry key="…">…</entry></properties>`). A key given twice
 * keeps its first position and its last value, as a dictionary built in document order would.
 */
export function readProperties(root: XmlElement): ResourceEntries {
  expectRoot(root, '', 'properties');
  const entries = new Map<string, string>();
  for (const entry of childElements(root, '', 'entry')) {
    const key = entry.attributes.get('key');
    if (key === undefined) refuse('<entry> without key');
    entries.set(key, textOf(entry));
  }
  return [...entries];
}
