import { importStatisticsXml, nodeListXml, nodeXml, propertiesXml } from '@broker-monitor/broker-emulator';
import { describe, expect, it } from 'vitest';
import { parseAnyDocument, parseSimpleDocument, parseXml, textOf, XmlRefusedError } from '../src/safe-xml.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const refused = (text: string | Uint8Array): string => {
  try {
    parseXml(typeof text === 'string' ? bytes(text) : text);
  } catch (error) {
    expect(error).toBeInstanceOf(XmlRefusedError);
    return (error as Error).message;
  }
  throw new Error('expected the document to be refused');
};

describe('parseXml', () => {
  it('accepts the external DOCTYPE of Java properties and resolves namespaces', () => {
    const root = parseXml(
      bytes(
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">\n<properties><entry key="k">v</entry></properties>',
      ),
    );
    expect(root).toMatchObject({ namespace: '', localName: 'properties' });
    const prefixed = parseXml(bytes('<a:x xmlns:a="urn:one"><a:y xmlns:a="urn:two"/></a:x>'));
    expect(prefixed.namespace).toBe('urn:one');
    expect(prefixed.children[0]).toMatchObject({ namespace: 'urn:two', localName: 'y' });
  });

  it('decodes the predefined entities and character references, keeps CDATA verbatim', () => {
    const root = parseXml(bytes('<e a="&quot;&#x41;&apos;">&lt;&gt;&amp;&#228;<![CDATA[&amp;<x>]]></e>'));
    expect(root.attributes.get('a')).toBe('"A\'');
    expect(textOf(root)).toBe('<>&ä&amp;<x>');
  });

  it('refuses entity declarations and internal DTD subsets by structure', () => {
    expect(refused('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toContain('entity declaration');
    expect(refused('<!doctype a [<!element a ANY>]><a/>')).toContain('internal subset');
    expect(refused('<!DOCTYPE a SYSTEM "x.dtd"><!DOCTYPE b SYSTEM "y.dtd"><a/>')).toContain(
      'more than one DOCTYPE',
    );
    expect(refused('<!DOCTYPE a SYSTEM "a[b].dtd"')).toContain('unterminated DOCTYPE');
  });

  it('refuses references to undefined entities and bad character references', () => {
    expect(refused('<a>&nbsp;</a>')).toContain('undefined entity');
    expect(refused('<a>&#0;</a>')).toContain('undefined entity');
    expect(refused('<a>fish & chips</a>')).toContain('malformed XML');
    expect(refused('<a x="fish & chips"/>')).toContain('malformed XML');
  });

  it('refuses what is not one well-formed element', () => {
    expect(refused('')).toContain('malformed XML');
    expect(refused('<a><b></a>')).toContain('malformed XML');
    expect(refused('<a/><b/>')).toContain('2 root elements');
    expect(refused('<x:a/>')).toContain('undeclared namespace prefix');
    expect(refused(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`)).toContain('nested deeper');
    expect(refused(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]))).toContain(
      'invalid UTF-8',
    );
  });

  it('honours an ISO-8859-1 declaration and refuses other encodings', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>K\u00f6ln</a>', 'latin1');
    expect(textOf(parseXml(latin1))).toBe('Köln');
    expect(refused('<?xml version="1.0" encoding="Shift_JIS"?><a/>')).toContain('unsupported encoding');
  });
});

describe('parseSimpleDocument (the one-pass reading of the common case)', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const brokerDocuments = [
    importStatisticsXml({
      start: now,
      lastWrite: now,
      imported: 5,
      updated: 1,
      invalid: 0,
      failed: 2,
      errors: [
        { timestamp: now, repeats: 3, content: 'a < b & "c" > d' },
        { timestamp: now, content: 'x' },
      ],
    }),
    importStatisticsXml({ start: now, imported: 5, updated: 1, invalid: 0, failed: 2 }),
    // As parseXml passes it on: the external DOCTYPE removed.
    propertiesXml({ a: '1', 'b c': 'x & y <z>', '': '' }, 'comment').replace(/<!DOCTYPE[^>]*>/, ''),
    nodeListXml([{ id: 1, websocket: true, lastContact: now, clientDN: 'CN=x,O=y & z' }]),
    nodeXml({ id: 7, websocket: false, lastContact: now, clientDN: 'CN=a', modules: [['m', 'v<']] }),
  ];
  const others = [
    '<a:x xmlns:a="urn:one"><a:y xmlns:a="urn:two"/></a:x>',
    '<a xmlns="urn:d" b=\'q"q\' c="t\tn\nx"><b xmlns=""><c/> </b>\n text ]]> more > <d  e="1"   /></a>',
    `<r>${'<a>'.repeat(63)}${'</a>'.repeat(63)}</r>`,
    '<e a="&quot;&#x41;&apos;">&lt;&gt;&amp;&#228;<![CDATA[&amp;<x>]]></e>',
    '<?xml version="1.0"?>\n<!-- c --><a/>',
  ];
  const outcome = (parse: (text: string) => unknown, text: string): unknown => {
    try {
      return parse(text);
    } catch (error) {
      return `refused: ${(error as Error).message}`;
    }
  };

  it('reads every document the broker sends', () => {
    for (const document of brokerDocuments) {
      expect(parseSimpleDocument(document)).toEqual(parseAnyDocument(document));
    }
  });

  it('reads what it accepts exactly as validator and parser do, and leaves every refusal to them', () => {
    // Deterministic mutations (deleted, inserted, repeated, swapped characters) of valid documents.
    let seed = 1;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * below);
    };
    const pieces = ['<', '>', '&', ';', '"', "'", '/', '=', ' ', '\n', ':', 'x', '-', '?', '!', '&amp;'];
    pieces.push('&#x41;', '&#0;', '&nbsp;', 'xmlns="u"', ' xmlns:x="v"', 'x:', '</a>', '<a>', 'ä', '[');
    let accepted = 0;
    for (const document of [...brokerDocuments, ...others]) {
      for (let mutation = 0; mutation < 1500; mutation++) {
        let text = document;
        for (let edit = 0; edit <= random(3); edit++) {
          const at = random(text.length);
          const kind = random(4);
          if (kind === 0) text = text.slice(0, at) + text.slice(at + 1);
          else if (kind === 1) text = text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
          else if (kind === 2) text = text.slice(0, at) + text.slice(at, at + random(20)) + text.slice(at);
          else text = text.slice(0, at) + (text[at + 1] ?? '') + (text[at] ?? '') + text.slice(at + 2);
        }
        const simple = parseSimpleDocument(text);
        if (simple === undefined) continue;
        accepted += 1;
        expect(simple, text).toEqual(outcome(parseAnyDocument, text));
      }
    }
    // The comparison has substance: a good share of mutated documents are still simple and well formed.
    expect(accepted).toBeGreaterThan(1000);
  });
});
