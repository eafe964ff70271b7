import { describe, expect, it } from 'vitest';
import { upsertErrors } from '../src/error-rules.js';
import type { BrokerImportError, ErrorRow } from '../src/types.js';

const NOW = new Date('2025-03-10T06:00:00Z');
const error = (timestamp: string, content: string, repeats: string | null = null): BrokerImportError => ({
  timestamp,
  repeats,
  content,
});
const stored = (timestamp: string, content: string, repeats = '1'): ErrorRow => ({
  timestamp,
  repeats,
  content,
});

describe('upsertErrors', () => {
  it.each<[string, ErrorRow[], BrokerImportError[], ErrorRow[]]>([
    [
      'adds a new error; repeats absent → 1',
      [],
      [error('2025-03-09T10:00:00+01:00', 'a')],
      [stored('2025-03-09T10:00:00+01:00', 'a')],
    ],
    [
      'keeps the repeats text of the broker',
      [],
      [error('2025-03-09T10:00:00+01:00', 'a', '17')],
      [stored('2025-03-09T10:00:00+01:00', 'a', '17')],
    ],
    [
      'ignores a changed timestamp with equal repeats',
      [stored('2025-03-01T10:00:00Z', 'a', '2')],
      [error('2025-03-09T10:00:00Z', 'a', '2')],
      [stored('2025-03-01T10:00:00Z', 'a', '2')],
    ],
    [
      'removes and re-adds an error whose repeats changed',
      [stored('2025-03-05T10:00:00Z', 'b'), stored('2025-03-01T10:00:00Z', 'a', '2')],
      [error('2025-03-09T10:00:00Z', 'a', '3')],
      [stored('2025-03-09T10:00:00Z', 'a', '3'), stored('2025-03-05T10:00:00Z', 'b')],
    ],
    [
      'compares repeats as text',
      [stored('2025-03-01T10:00:00Z', 'a', '2')],
      [error('2025-03-09T10:00:00Z', 'a', '02')],
      [stored('2025-03-09T10:00:00Z', 'a', '02')],
    ],
    [
      'keeps errors that left the broker list',
      [stored('2025-01-05T10:00:00Z', 'old')],
      [error('2025-03-09T10:00:00Z', 'new')],
      [stored('2025-03-09T10:00:00Z', 'new'), stored('2025-01-05T10:00:00Z', 'old')],
    ],
    [
      'takes only errors of the current UTC year',
      [],
      [
        error('2025-01-01T00:30:00+01:00', 'UTC 2024'),
        error('2024-12-31T23:30:00-01:00', 'UTC 2025'),
        error('2026-01-01T00:00:00Z', 'next year'),
      ],
      [stored('2024-12-31T23:30:00-01:00', 'UTC 2025')],
    ],
    ['skips an error whose timestamp cannot be read', [], [error('yesterday', 'x')], []],
    [
      'sorts by the timestamp text, descending, offsets not normalised',
      [],
      [
        error('2025-03-10T05:00:00+01:00', 'plus'),
        error('2025-03-10T05:00:00Z', 'zulu'),
        error('2025-03-10T04:00:00.5-05:00', 'minus'),
      ],
      [
        stored('2025-03-10T05:00:00Z', 'zulu'),
        stored('2025-03-10T05:00:00+01:00', 'plus'),
        stored('2025-03-10T04:00:00.5-05:00', 'minus'),
      ],
    ],
    [
      'keeps the order of equal timestamps (old rows first)',
      [stored('2025-03-10T05:00:00Z', 'first')],
      [error('2025-03-10T05:00:00Z', 'second'), error('2025-03-10T05:00:00Z', 'third')],
      [
        stored('2025-03-10T05:00:00Z', 'first'),
        stored('2025-03-10T05:00:00Z', 'second'),
        stored('2025-03-10T05:00:00Z', 'third'),
      ],
    ],
    [
      // [new] the original drops 'added 1' and 'added 2' here (pandas index clash)
      'never loses errors added before a known error changes',
      [stored('2025-03-09T10:00:00Z', 'newest'), stored('2025-03-08T10:00:00Z', 'older')],
      [
        error('2025-03-10T08:00:00Z', 'added 1'),
        error('2025-03-10T07:00:00Z', 'added 2'),
        error('2025-03-09T10:00:00Z', 'newest', '2'),
      ],
      [
        stored('2025-03-10T08:00:00Z', 'added 1'),
        stored('2025-03-10T07:00:00Z', 'added 2'),
        stored('2025-03-09T10:00:00Z', 'newest', '2'),
        stored('2025-03-08T10:00:00Z', 'older'),
      ],
    ],
    [
      'keeps one row when the broker lists a text twice',
      [],
      [error('2025-03-09T10:00:00Z', 'twice', '1'), error('2025-03-09T11:00:00Z', 'twice', '2')],
      [stored('2025-03-09T11:00:00Z', 'twice', '2')],
    ],
    [
      // [new] pandas reads these back as empty, so the original adds them again on every run
      'identifies NA-like and empty texts verbatim',
      [
        stored('2025-03-09T10:00:00Z', 'NA'),
        stored('2025-03-09T09:00:00Z', 'null'),
        stored('2025-03-09T08:00:00Z', ''),
      ],
      [
        error('2025-03-09T10:00:00Z', 'NA'),
        error('2025-03-09T09:00:00Z', 'null'),
        error('2025-03-09T08:00:00Z', ''),
      ],
      [
        stored('2025-03-09T10:00:00Z', 'NA'),
        stored('2025-03-09T09:00:00Z', 'null'),
        stored('2025-03-09T08:00:00Z', ''),
      ],
    ],
    [
      'collapses duplicate rows of an older file when the repeats change',
      [stored('2025-03-02T10:00:00Z', 'dup'), stored('2025-03-01T10:00:00Z', 'dup')],
      [error('2025-03-09T10:00:00Z', 'dup', '5')],
      [stored('2025-03-09T10:00:00Z', 'dup', '5')],
    ],
    [
      'leaves duplicate rows of an older file alone when one has the same repeats',
      [stored('2025-03-02T10:00:00Z', 'dup', '5'), stored('2025-03-01T10:00:00Z', 'dup')],
      [error('2025-03-09T10:00:00Z', 'dup', '5')],
      [stored('2025-03-02T10:00:00Z', 'dup', '5'), stored('2025-03-01T10:00:00Z', 'dup')],
    ],
    [
      'keeps rows of the file that are not of this year as they are',
      [stored('2024-06-01T10:00:00Z', 'odd row')],
      [],
      [stored('2024-06-01T10:00:00Z', 'odd row')],
    ],
  ])('%s', (_, rows, errors, expected) => {
    const before = structuredClone(rows);
    expect(upsertErrors(rows, errors, NOW)).toEqual(expected);
    expect(rows).toEqual(before);
  });

  it('keeps more than 20 errors over time', () => {
    let rows: ErrorRow[] = [];
    for (let day = 1; day <= 9; day++) {
      const errors = Array.from({ length: 20 }, (_, i) =>
        error(`2025-03-0${day}T${String(i).padStart(2, '0')}:00:00Z`, `day ${day} error ${i}`),
      );
      rows = upsertErrors(rows, errors, NOW);
    }
    expect(rows).toHaveLength(180);
    expect(rows[0]?.content).toBe('day 9 error 19');
    expect(rows.at(-1)?.content).toBe('day 1 error 0');
  });
});
