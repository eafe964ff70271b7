/*
 * The file formats: CSV as Python's csv module writes it and pandas reads it, the stats and
 * errors CSV texts, and json.dumps for the resource snapshots — against tables from Python.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../src/csv.js';
import { BrokenFileError } from '../src/errors.js';
import { formatResourceJson, parseResourceJson } from '../src/resource-json.js';
import {
  ERROR_COLUMNS,
  formatErrorsCsv,
  formatStatsCsv,
  parseErrorsCsv,
  parseStatsCsv,
} from '../src/store-format.js';
import { type ResourceEntries, STATS_COLUMNS, type StatsRow } from '../src/types.js';

interface PythonReference {
  jsonDumps: Array<[Array<[string, string]>, string]>;
  csvWriterPython313: Array<[string[], string]>;
}

const reference = JSON.parse(
  readFileSync(new URL('./fixtures/python-reference.json', import.meta.url), 'utf8'),
) as PythonReference;

describe('CSV writing (Python csv module, QUOTE_MINIMAL, ";", "\\n")', () => {
  it.each([
    [['a', 'b'], 'a;b\n'],
    [['a;b', 'c'], '"a;b";c\n'],
    [['say "hi"', ''], '"say ""hi""";\n'],
    [['line\nbreak', 'x'], '"line\nbreak";x\n'],
    [['carriage\rreturn', 'x'], '"carriage\rreturn";x\n'],
    [[' padded ', 'ä😀', "it's", 'a,b', 'tab\there'], " padded ;ä😀;it's;a,b;tab\there\n"],
  ])('%j', (row, expected) => {
    expect(formatCsv(['h1', 'h2'], [row])).toBe(`h1;h2\n${expected}`);
  });

  it(`matches Python 3.13 on ${reference.csvWriterPython313.length} random rows`, () => {
    const mismatches = reference.csvWriterPython313.filter(
      ([row, expected]) => formatCsv(row, []) !== expected,
    );
    expect(mismatches).toEqual([]);
  });

  it('reads back every row it writes', () => {
    const rows = reference.csvWriterPython313.map(([row]) => row);
    const text = formatCsv(['only', 'a', 'header'], rows);
    expect(parseCsv(text).slice(1)).toEqual(rows);
  });
});

describe('CSV reading (as pandas read_csv)', () => {
  it.each([
    [
      'a;b\n1;2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'a;b\r\n1;2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'a;b\r1;2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      '\ufeffa;b\n\n\n1;2\n\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['"x""y";"a\r\nb";""\n', [['x"y', 'a\r\nb', '']]],
    ['"ab"cd;e"f"\n', [['abcd', 'e"f"']]],
    [';\n', [['', '']]],
  ])('%j', (text, records) => {
    expect(parseCsv(text)).toEqual(records);
  });

  it('refuses a quote that is never closed', () => {
    expect(() => parseCsv('a;"b\n')).toThrow(/not closed/);
  });
});

const row = (overrides: Partial<StatsRow> = {}): StatsRow => ({
  ...(Object.fromEntries(STATS_COLUMNS.map((column) => [column, '-'])) as StatsRow),
  date: '2025-03-10 06:00:00+00:00',
  ...overrides,
});

describe('stats and errors CSV texts', () => {
  it('writes a new file as the header line only', () => {
    expect(formatStatsCsv([])).toBe(`${STATS_COLUMNS.join(';')}\n`);
    expect(formatErrorsCsv([])).toBe('timestamp;repeats;content\n');
    expect(ERROR_COLUMNS).toEqual(['timestamp', 'repeats', 'content']);
  });

  it('reads back what it writes', () => {
    const rows = [row(), row({ last_contact: 'x;"y"', imported: '12' })];
    expect(parseStatsCsv(formatStatsCsv(rows), 'f.csv')).toEqual(rows);
    const errors = [
      { timestamp: 't', repeats: '1', content: 'NA' },
      { timestamp: 't', repeats: '2', content: 'a\nb;"c"' },
    ];
    expect(parseErrorsCsv(formatErrorsCsv(errors), 'e.csv')).toEqual(errors);
  });

  it('keeps NA-like texts verbatim ([new]: pandas reads them as empty)', () => {
    const text = 'timestamp;repeats;content\nt;1;NA\nt;1;null\nt;1;None\nt;1;NaN\nt;1;\n';
    expect(parseErrorsCsv(text, 'e.csv').map((error) => error.content)).toEqual([
      'NA',
      'null',
      'None',
      'NaN',
      '',
    ]);
  });

  it.each([
    ['', /empty/],
    ['\n \n', /empty/],
    ['date;last_contact\n', /unexpected header/],
    [`${STATS_COLUMNS.join(';')}\n1;2;3\n`, /row 1 has 3 fields instead of 15/],
    [`${STATS_COLUMNS.join(';')}\n"unclosed`, /not closed/],
  ])('names the file of a broken stats CSV %j', (text, reason) => {
    expect(() => parseStatsCsv(text, '/w/1/1_stats_2025.csv')).toThrow(BrokenFileError);
    expect(() => parseStatsCsv(text, '/w/1/1_stats_2025.csv')).toThrow(reason);
    try {
      parseStatsCsv(text, '/w/1/1_stats_2025.csv');
    } catch (error) {
      expect((error as BrokenFileError).file).toBe('/w/1/1_stats_2025.csv');
      expect((error as BrokenFileError).message).toContain('/w/1/1_stats_2025.csv');
    }
  });

  it('refuses an errors CSV with a wrong header', () => {
    expect(() => parseErrorsCsv('timestamp;content\n', 'e.csv')).toThrow(BrokenFileError);
  });
});

describe('resource snapshot JSON (Python json.dumps)', () => {
  it.each<[ResourceEntries, string]>([
    [[], '{}'],
    [[['os', 'Ubuntu']], '{"os": "Ubuntu"}'],
    [
      [
        ['10', 'x'],
        ['2', 'y'],
      ],
      '{"10": "x", "2": "y"}',
    ],
    [[['k', 'ä 😀 \u007f \t "q" \\ \r']], '{"k": "\\u00e4 \\ud83d\\ude00 \\u007f \\t \\"q\\" \\\\ \\r"}'],
  ])('%j → %s', (entries, expected) => {
    expect(formatResourceJson(entries)).toBe(expected);
  });

  it(`matches json.dumps on ${reference.jsonDumps.length} random dicts`, () => {
    const mismatches = reference.jsonDumps.filter(
      ([entries, expected]) => formatResourceJson(entries) !== expected,
    );
    expect(mismatches).toEqual([]);
  });

  it('reads back the entries in document order, numeric keys included', () => {
    for (const [entries, text] of reference.jsonDumps) {
      expect(parseResourceJson(text, 'r.txt')).toEqual(entries);
    }
    expect(parseResourceJson(' { "2" : "b" ,\n"1":"a" } ', 'r.txt')).toEqual([
      ['2', 'b'],
      ['1', 'a'],
    ]);
  });

  it('keeps the first place and the last value of a repeated key, as json.load does', () => {
    expect(parseResourceJson('{"a": "1", "b": "2", "a": "3"}', 'r.txt')).toEqual([
      ['a', '3'],
      ['b', '2'],
    ]);
  });

  it.each([
    ['', /empty/],
    ['{"a": 1}', /expected a string/],
    ['{"a": "b"', /expected "}"/],
    ['{"a": "b"} x', /unexpected text/],
    ['["a"]', /expected "\{"/],
    ['{"a": "raw\u0001control"}', /malformed string/],
    ['{"a": "\\x"}', /malformed string/],
    ['{"a": "unterminated', /unterminated/],
  ])('names the file of a broken snapshot %j', (text, reason) => {
    expect(() => parseResourceJson(text, '/w/1/1_versions.txt')).toThrow(BrokenFileError);
    expect(() => parseResourceJson(text, '/w/1/1_versions.txt')).toThrow(reason);
  });
});
