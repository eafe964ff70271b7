import { describe, expect, it } from 'vitest';
import { normalizeResourceEntries, resourceChangeLines } from '../src/resource-rules.js';
import type { ResourceEntries } from '../src/types.js';

describe('normalizeResourceEntries', () => {
  it.each<[string, ResourceEntries | null, ResourceEntries]>([
    ['404 → no entries', null, []],
    ['no entries', [], []],
    ['empty value → -', [['tomcat', '']], [['tomcat', '-']]],
    [
      'newlines removed, CR kept',
      [
        ['a', 'line1\nline2\n'],
        ['b', 'v1\r\nv2'],
        ['c', '\n'],
      ],
      [
        ['a', 'line1line2'],
        ['b', 'v1\rv2'],
        ['c', ''],
      ],
    ],
    [
      'document order kept, numeric keys included',
      [
        ['10', 'x'],
        ['2', 'y'],
      ],
      [
        ['10', 'x'],
        ['2', 'y'],
      ],
    ],
    [
      'a repeated key keeps its first place and its last value',
      [
        ['a', '1'],
        ['b', '2'],
        ['a', ''],
      ],
      [
        ['a', '-'],
        ['b', '2'],
      ],
    ],
    ['text kept verbatim otherwise', [['k', '  NA 😀 <&> "q" ']], [['k', '  NA 😀 <&> "q" ']]],
  ])('%s', (_, entries, expected) => {
    expect(normalizeResourceEntries(entries)).toEqual(expected);
  });
});

describe('resourceChangeLines', () => {
  const times = [
    '2025-03-10T06:00:00.000Z',
    '2025-03-10T06:00:00.001Z',
    '2025-03-10T06:00:00.002Z',
    '2025-03-10T06:00:00.003Z',
  ];
  const clock = () => {
    let calls = 0;
    return () => new Date(times[calls++] ?? 'invalid');
  };

  it.each<[string, ResourceEntries | undefined, ResourceEntries, string[]]>([
    ['first fetch: nothing logged', undefined, [['os', 'Ubuntu']], []],
    ['unchanged', [['os', 'Ubuntu']], [['os', 'Ubuntu']], []],
    [
      'order alone is no change',
      [
        ['a', '1'],
        ['b', '2'],
      ],
      [
        ['b', '2'],
        ['a', '1'],
      ],
      [],
    ],
    [
      'changed value',
      [['java', '11.0.21']],
      [['java', '11.0.22']],
      ['2025-03-10 06:00:00+00:00 : [java] 11.0.21 --> 11.0.22'],
    ],
    ['new key', [], [['tomcat', '-']], ['2025-03-10 06:00:00+00:00 : [tomcat] NEW --> -']],
    ['deleted key', [['p21', '1.5']], [], ['2025-03-10 06:00:00+00:00 : [p21] 1.5 --> DELETED']],
    [
      // [new] sorted by key within each group; the clock is read per line
      'new and changed first, then deleted, each sorted by key',
      [
        ['z', 'old'],
        ['gone2', 'x'],
        ['a', '1'],
        ['gone1', 'y'],
      ],
      [
        ['z', 'new'],
        ['b', 'added'],
        ['a', '1'],
      ],
      [
        '2025-03-10 06:00:00+00:00 : [b] NEW --> added',
        '2025-03-10 06:00:00.001000+00:00 : [z] old --> new',
        '2025-03-10 06:00:00.002000+00:00 : [gone1] y --> DELETED',
        '2025-03-10 06:00:00.003000+00:00 : [gone2] x --> DELETED',
      ],
    ],
    [
      'a resource that disappears logs every key as deleted',
      [
        ['os', 'Ubuntu'],
        ['java', '11'],
      ],
      [],
      [
        '2025-03-10 06:00:00+00:00 : [java] 11 --> DELETED',
        '2025-03-10 06:00:00.001000+00:00 : [os] Ubuntu --> DELETED',
      ],
    ],
    [
      'and when it comes back, every key as new',
      [],
      [
        ['os', 'Ubuntu'],
        ['java', '11'],
      ],
      [
        '2025-03-10 06:00:00+00:00 : [java] NEW --> 11',
        '2025-03-10 06:00:00.001000+00:00 : [os] NEW --> Ubuntu',
      ],
    ],
    [
      'values are written as they are',
      [['k', 'a\rb']],
      [['k', 'ä 😀']],
      ['2025-03-10 06:00:00+00:00 : [k] a\rb --> ä 😀'],
    ],
  ])('%s', (_, previous, current, expected) => {
    expect(resourceChangeLines(previous, current, clock())).toEqual(expected);
  });

  it('sorts keys by code point, as Python sorts str', () => {
    const lines = resourceChangeLines(
      [],
      [
        ['😀', '1'],
        ['\uffff', '2'],
        ['B', '3'],
        ['a', '4'],
      ],
      () => new Date(times[0] ?? ''),
    );
    expect(lines.map((line) => line.slice(line.indexOf('[') + 1, line.indexOf(']')))).toEqual([
      'B',
      'a',
      '\uffff',
      '😀',
    ]);
  });
});
