import { type HeatmapInputRow, heatmapDates } from '../src/index.js';

export const LAST_DATE = '2025-11-23';
export const DATES = heatmapDates(LAST_DATE);

/** A node with `base` on every day of the window, then the given days changed (index 0 = oldest). */
export function node(
  nodeName: string,
  overrides: Record<number, string | null> = {},
  base: string | null = '0.00',
): HeatmapInputRow {
  const days = DATES.flatMap((date, index) => {
    const value = index in overrides ? overrides[index] : base;
    return value === null || value === undefined ? [] : [{ date, dailyErrorRate: value }];
  });
  return { nodeName, days };
}

/** `count` nodes with a spread of error rates, no-import days and missing days, reproducible. */
export function sampleNodes(count: number): HeatmapInputRow[] {
  let seed = 11;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  return Array.from({ length: count }, (_, index) => {
    const level = random() * 25;
    return {
      nodeName: `[${index + 1}] Klinikum ${['Aachen', 'Köln', 'Görlitz', 'München'][index % 4]}`,
      days: DATES.slice(Math.floor(random() * 10)).map((date) => ({
        date,
        dailyErrorRate: random() < 0.1 ? '-' : (random() * level).toFixed(2),
      })),
    };
  });
}
