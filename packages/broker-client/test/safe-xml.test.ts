import { describe, expect, it } from 'vitest';
import { parseXml, textOf, XmlRefusedError } from '../src/safe-xml.js';

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
