import { describe, expect, it } from 'vitest';
import {
  entityBombXml,
  formatHttpDate,
  formatInstant,
  formatXsDateTime,
  importStatisticsXml,
  nodeListXml,
  nodeXml,
  parseHttpDate,
  propertiesXml,
} from '../src/index.js';

describe('time formats', () => {
  it('writes Instant.toString: Z, millis only when non-zero', () => {
    expect(formatInstant(new Date('2025-03-10T06:00:00.000Z'))).toBe('2025-03-10T06:00:00Z');
    expect(formatInstant(new Date('2025-03-10T06:00:00.120Z'))).toBe('2025-03-10T06:00:00.120Z');
  });

  it('writes JAXB xs:dateTime in the DWH zone with the offset of that instant', () => {
    expect(formatXsDateTime(new Date('2024-03-10T06:12:33.123Z'), 'Europe/Berlin')).toBe(
      '2024-03-10T07:12:33.123+01:00',
    );
    expect(formatXsDateTime(new Date('2024-07-01T22:30:00.000Z'), 'Europe/Berlin')).toBe(
      '2024-07-02T00:30:00+02:00',
    );
    expect(formatXsDateTime(new Date('2024-07-01T22:30:00.005Z'), 'UTC')).toBe('2024-07-01T22:30:00.005Z');
    expect(formatXsDateTime(new Date('2024-01-01T00:00:00Z'), 'America/St_Johns')).toBe(
      '2023-12-31T20:30:00-03:30',
    );
  });

  it('round-trips HTTP dates the way Jersey reads them and ignores other forms', () => {
    const date = new Date('2025-03-10T06:00:07Z');
    expect(parseHttpDate(formatHttpDate(date))).toBe(date.getTime());
    expect(parseHttpDate('Monday, 10-Mar-25 06:00:07 GMT')).toBe(date.getTime());
    expect(parseHttpDate('Mon Mar 10 06:00:07 2025')).toBe(date.getTime());
    expect(parseHttpDate('2025-03-10T06:00:07Z')).toBeUndefined();
    expect(parseHttpDate(undefined)).toBeUndefined();
  });
});

describe('documents', () => {
  it('writes import statistics as JAXB.marshal does, without namespace', () => {
    const xml = importStatisticsXml({
      start: new Date('2024-03-01T07:00:00Z'),
      lastWrite: '2024-03-10T07:12:33.123+01:00',
      imported: 10,
      updated: 2,
      invalid: 0,
      failed: 1,
      errors: [
        { timestamp: new Date('2024-03-09T10:00:00Z'), repeats: 3, content: 'a < b & "c"' },
        { timestamp: '2024-03-08T10:00:00+01:00', content: 'once' },
      ],
    });
    expect(xml.split('\n')).toEqual([
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
      '<import-statistics>',
      '    <start>2024-03-01T08:00:00+01:00</start>',
      '    <last-write>2024-03-10T07:12:33.123+01:00</last-write>',
      '    <imported>10</imported>',
      '    <updated>2</updated>',
      '    <invalid>0</invalid>',
      '    <failed>1</failed>',
      '    <last-errors>',
      '        <error repeats="3" timestamp="2024-03-09T11:00:00+01:00">a &lt; b &amp; "c"</error>',
      '        <error timestamp="2024-03-08T10:00:00+01:00">once</error>',
      '    </last-errors>',
      '</import-statistics>',
      '',
    ]);
    expect(importStatisticsXml({ start: 's', imported: 0, updated: 0, invalid: 0, failed: 0 })).toContain(
      '<last-errors/>',
    );
  });

  it('writes properties as storeToXML does, with the DOCTYPE and entries in the given order', () => {
    expect(
      propertiesXml(
        [
          ['z', '1'],
          ['a', 'x"<y'],
          ['empty', ''],
        ],
        'versions',
      ),
    ).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        '<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">',
        '<properties>',
        '<comment>versions</comment>',
        '<entry key="z">1</entry>',
        '<entry key="a">x"&lt;y</entry>',
        '<entry key="empty"></entry>',
        '</properties>',
        '',
      ].join('\n'),
    );
  });

  it('writes node documents with the JAXB ns2 prefix, or the default namespace when asked', () => {
    const node = {
      id: 3,
      clientDN: 'CN=A&B',
      lastContact: new Date('2025-01-02T03:04:05.600Z'),
      websocket: true,
    };
    expect(nodeListXml([node])).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ns2:node-list xmlns:ns2="http://aktin.org/ns/exchange">' +
        '<ns2:node><ns2:id>3</ns2:id><ns2:clientDN>CN=A&amp;B</ns2:clientDN><ns2:last-contact>2025-01-02T03:04:05.600Z</ns2:last-contact>' +
        '<ns2:websocket>true</ns2:websocket></ns2:node></ns2:node-list>',
    );
    expect(nodeXml({ ...node, modules: [['broker-api', '1.5']] }, '')).toContain(
      '<node xmlns="http://aktin.org/ns/exchange"><id>3</id>',
    );
    expect(nodeXml({ ...node, modules: [['broker-api', '1.5']] })).toContain(
      '<ns2:modules><entry><key>broker-api</key><value>1.5</value></entry></ns2:modules>',
    );
    expect(nodeListXml([{ id: 1, websocket: false }])).not.toContain('last-contact');
  });

  it('builds a billion-laughs body of nested entity declarations', () => {
    const bomb = entityBombXml();
    expect(bomb).toContain('<!DOCTYPE properties [');
    expect(bomb.match(/<!ENTITY/g)).toHaveLength(10);
    expect(bomb.length).toBeLessThan(2000);
  });
});
