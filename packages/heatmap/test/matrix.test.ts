import { describe, expect, it } from 'vitest';
import {
  createHeatmapRanking,
  errorRateBin,
  HEATMAP_DAYS,
  HEATMAP_MAX_NODES,
  type HeatmapInputRow,
  heatmapDates,
  heatmapMatrix,
  InvalidHeatmapDateError,
} from '../src/index.js';
import { DATES, LAST_DATE, node, sampleNodes } from './rows.js';

const OLDER_DAY = 0;
const LAST_WEEK_DAY = HEATMAP_DAYS - 1;

function order(rows: Parameters<typeof heatmapMatrix>[0]): string[] {
  return heatmapMatrix(rows, LAST_DATE).rows.map((row) => row.nodeName);
}

describe('errorRateBin', () => {
  it.each([
    ['0.00', 'below-1'],
    ['0.99', 'below-1'],
    ['1', 'from-1'],
    ['1.00', 'from-1'],
    ['4.99', 'from-1'],
    ['5', 'from-5'],
    ['5.00', 'from-5'],
    ['9.99', 'from-5'],
    ['10', 'from-10'],
    ['10.00', 'from-10'],
    ['100.0', 'from-10'],
    ['12.50', 'from-10'],
    ['-3.5', 'below-1'],
    ['-100.0', 'below-1'],
    ['-', 'no-imports'],
    [' - ', 'no-imports'],
    ['', 'no-imports'],
    ['n/a', 'no-imports'],
    [null, 'no-imports'],
  ] as const)('%j → %s', (text, bin) => {
    expect(errorRateBin(text)).toBe(bin);
  });
});

describe('heatmapDates', () => {
  it('gives 42 consecutive days ending with the last date', () => {
    const dates = heatmapDates('2025-01-10');
    expect(dates).toHaveLength(42);
    expect(dates[0]).toBe('2024-11-30');
    expect(dates[41]).toBe('2025-01-10');
    expect(dates).toContain('2024-12-31');
    expect(dates).toContain('2025-01-01');
  });

  it('counts the leap day', () => {
    expect(heatmapDates('2024-03-01')).toContain('2024-02-29');
    expect(heatmapDates('2024-03-01')[0]).toBe('2024-01-20');
  });

  it.each(['2025-02-30', '2025-1-01', '2025-11-23T00:00:00', '', '23.11.2025'])('rejects %j', (text) => {
    expect(() => heatmapMatrix([], text)).toThrow(InvalidHeatmapDateError);
  });
});

describe('heatmapMatrix cells', () => {
  it('puts each day in its column and marks missing days as no imports', () => {
    const matrix = heatmapMatrix(
      [node('A', { 0: '0.99', 1: '1', 2: '4.99', 3: '5', 4: '9.99', 5: '10', 6: '-', 7: null, 8: '-2.5' })],
      LAST_DATE,
    );
    expect(matrix.dates).toEqual(DATES);
    const cells = matrix.rows[0]?.cells ?? [];
    expect(cells.map((cell) => cell.date)).toEqual(DATES);
    expect(cells.slice(0, 10).map((cell) => [cell.dailyErrorRate, cell.bin])).toEqual([
      ['0.99', 'below-1'],
      ['1', 'from-1'],
      ['4.99', 'from-1'],
      ['5', 'from-5'],
      ['9.99', 'from-5'],
      ['10', 'from-10'],
      ['-', 'no-imports'],
      [null, 'no-imports'],
      ['-2.5', 'below-1'],
      ['0.00', 'below-1'],
    ]);
  });

  it('ignores days outside the window and takes the later of two rows for one date', () => {
    const matrix = heatmapMatrix(
      [
        {
          nodeName: 'A',
          days: [
            { date: '2025-10-12', dailyErrorRate: '50.0' },
            { date: '2025-11-24', dailyErrorRate: '50.0' },
            { date: LAST_DATE, dailyErrorRate: '20.0' },
            { date: LAST_DATE, dailyErrorRate: '2.00' },
          ],
        },
      ],
      LAST_DATE,
    );
    const row = matrix.rows[0];
    expect(row?.cells.at(-1)).toEqual({ date: LAST_DATE, dailyErrorRate: '2.00', bin: 'from-1' });
    expect(row?.cells.filter((cell) => cell.dailyErrorRate !== null)).toHaveLength(1);
    // 35 older days without rows (−1 each) + 6 × (6 missing days × −1 + 2.00)
    expect(row?.score).toBe(-35 + 6 * (-6 + 2));
  });
});

describe('heatmapMatrix order', () => {
  it('weights the last 7 days six times', () => {
    const older = node('older 30', { [OLDER_DAY]: '30.00' });
    const lastWeek = node('last week 6', { [LAST_WEEK_DAY]: '6.00' });
    const both = node('both', { [OLDER_DAY]: '1.00', [LAST_WEEK_DAY]: '5.00' });
    const matrix = heatmapMatrix([older, both, lastWeek], LAST_DATE);
    expect(matrix.rows.map((row) => [row.nodeName, row.score])).toEqual([
      ['last week 6', 36],
      ['both', 31],
      ['older 30', 30],
    ]);
  });

  it('treats the first day of the last week as last week and the day before as older', () => {
    const firstOfLastWeek = node('B', { 35: '2.00' });
    const lastOlderDay = node('A', { 34: '11.00' });
    expect(heatmapMatrix([lastOlderDay, firstOfLastWeek], LAST_DATE).rows.map((row) => row.score)).toEqual([
      12, 11,
    ]);
  });

  it('counts "-" and missing days as −1, so nodes without imports sink below healthy ones', () => {
    const matrix = heatmapMatrix(
      [
        node('dash older', { [OLDER_DAY]: '-' }),
        node('missing last week', { [LAST_WEEK_DAY]: null }),
        node('healthy'),
        node('dash last week', { [LAST_WEEK_DAY]: '-' }),
        node('never imports', {}, '-'),
        node('no rows', {}, null),
      ],
      LAST_DATE,
    );
    expect(matrix.rows.map((row) => [row.nodeName, row.score])).toEqual([
      ['healthy', 0],
      ['dash older', -1],
      ['dash last week', -6],
      ['missing last week', -6],
      ['never imports', -77],
      ['no rows', -77],
    ]);
  });

  it('counts a negative rate as 0, not below a healthy node', () => {
    const matrix = heatmapMatrix(
      [node('B negative', { [LAST_WEEK_DAY]: '-50.0' }), node('A healthy'), node('C dash', { 0: '-' })],
      LAST_DATE,
    );
    expect(matrix.rows.map((row) => [row.nodeName, row.score])).toEqual([
      ['A healthy', 0],
      ['B negative', 0],
      ['C dash', -1],
    ]);
  });

  it('sums exactly, so equal totals tie and fall back to the name', () => {
    const matrix = heatmapMatrix(
      [node('Zwickau', { 0: '0.10', 1: '0.20' }), node('Aachen', { 0: '0.30' })],
      LAST_DATE,
    );
    expect(matrix.rows.map((row) => [row.nodeName, row.score])).toEqual([
      ['Aachen', 0.3],
      ['Zwickau', 0.3],
    ]);
  });

  it('orders ties by name, German collation with numbers by value', () => {
    const names = ['Berlin', '[10] Köln', 'Ärztehaus', 'Aachen', '[2] Köln', 'aachen'];
    expect(order(names.map((name) => node(name)))).toEqual([
      '[2] Köln',
      '[10] Köln',
      'aachen',
      'Aachen',
      'Ärztehaus',
      'Berlin',
    ]);
  });

  it('gives the same order whatever the input order', () => {
    const rows = [node('C', { 3: '5.00' }), node('A'), node('B', { 40: '1.00' }), node('D', { 0: '-' })];
    expect(order(rows)).toEqual(order([...rows].reverse()));
    expect(order(rows)).toEqual(['B', 'C', 'A', 'D']);
  });
});

describe('heatmapMatrix cap', () => {
  const many = (count: number) =>
    Array.from({ length: count }, (_, index) => node(`Node ${index}`, { [LAST_WEEK_DAY]: `${index}.00` }));

  it(`shows ${HEATMAP_MAX_NODES} nodes and has no caption when nothing is left out`, () => {
    const matrix = heatmapMatrix(many(HEATMAP_MAX_NODES), LAST_DATE);
    expect(matrix.rows).toHaveLength(HEATMAP_MAX_NODES);
    expect(matrix.hiddenNodes).toBe(0);
    expect(matrix.caption).toBe('');
  });

  it('leaves out the best nodes and counts them in the caption', () => {
    const matrix = heatmapMatrix(many(HEATMAP_MAX_NODES + 12), LAST_DATE);
    expect(matrix.rows).toHaveLength(HEATMAP_MAX_NODES);
    expect(matrix.hiddenNodes).toBe(12);
    expect(matrix.caption).toBe('12 weitere Knoten nicht dargestellt');
    expect(matrix.rows[0]?.nodeName).toBe(`Node ${HEATMAP_MAX_NODES + 11}`);
    expect(matrix.rows.at(-1)?.nodeName).toBe('Node 12');
  });

  it('uses the singular for one hidden node', () => {
    const matrix = heatmapMatrix(many(HEATMAP_MAX_NODES + 1), LAST_DATE);
    expect(matrix.hiddenNodes).toBe(1);
    expect(matrix.caption).toBe('1 weiterer Knoten nicht dargestellt');
  });
});

describe('createHeatmapRanking', () => {
  // Two pairs with equal name and score, but different cells: only their positions order them.
  const twins = [
    node('Klinikum Zwilling', { 3: '-', 4: '50.00' }),
    node('Klinikum Zwilling', { 3: '50.00', 4: '-' }),
  ];
  const rows = [...sampleNodes(400), ...twins, ...twins];
  const scoreOf = (row: HeatmapInputRow) => heatmapMatrix([row], LAST_DATE).rows[0]?.score ?? Number.NaN;

  it('keeps the worst 150 nodes, whatever order they come in', () => {
    const expected = heatmapMatrix(rows, LAST_DATE);
    const ranking = createHeatmapRanking(LAST_DATE);
    // Added backwards, each with its place in the caller's order.
    for (let position = rows.length - 1; position >= 0; position--) {
      ranking.add(rows[position] as HeatmapInputRow, position);
    }
    expect(ranking.size).toBe(rows.length);
    expect(ranking.matrix()).toEqual(expected);
    expect(expected.hiddenNodes).toBe(rows.length - HEATMAP_MAX_NODES);
    expect(expected.caption).toBe(`${rows.length - HEATMAP_MAX_NODES} weitere Knoten nicht dargestellt`);
  });

  it('leaves out only nodes that score no higher than every shown one', () => {
    const matrix = heatmapMatrix(rows, LAST_DATE);
    const shown = new Set(matrix.rows.map((row) => row.nodeName));
    const lowestShown = Math.min(...matrix.rows.map((row) => row.score));
    const hidden = rows.filter((row) => !shown.has(row.nodeName));
    expect(hidden).toHaveLength(matrix.hiddenNodes);
    for (const row of hidden) expect(scoreOf(row)).toBeLessThanOrEqual(lowestShown);
  });

  it('orders equal names and scores by position', () => {
    const ranking = createHeatmapRanking(LAST_DATE);
    ranking.add(twins[1] as HeatmapInputRow, 1);
    ranking.add(twins[0] as HeatmapInputRow, 0);
    const cells = ranking.matrix().rows.map((row) => row.cells[3]?.dailyErrorRate);
    expect(cells).toEqual(['-', '50.00']);
  });

  it('is empty until a node is added', () => {
    const ranking = createHeatmapRanking(LAST_DATE);
    expect(ranking.size).toBe(0);
    expect(ranking.matrix()).toMatchObject({ rows: [], hiddenNodes: 0, caption: '', dates: DATES });
  });
});
