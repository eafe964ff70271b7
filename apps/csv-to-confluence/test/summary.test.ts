import { createHeatmapRanking } from '@broker-monitor/heatmap/matrix';
import { readStoredPage } from '@broker-monitor/page-render';
import { describe, expect, it } from 'vitest';
import { renderHeatmap, storedSummary } from '../src/summary.js';

const NOW = new Date('2025-11-23T06:00:00Z');

describe('renderHeatmap', () => {
  it('draws the ranked nodes', async () => {
    const ranking = createHeatmapRanking(NOW.toISOString().slice(0, 10));
    ranking.add({ nodeName: 'Klinikum A', days: [{ date: '2025-11-23', dailyErrorRate: '12.00' }] }, 0);
    ranking.add({ nodeName: 'Klinikum B', days: [{ date: '2025-11-22', dailyErrorRate: '0.00' }] }, 2);
    const picture = await renderHeatmap(ranking);
    expect(picture?.png.subarray(1, 4).toString()).toBe('PNG');
    expect(picture?.caption).toBe('Tägliche Fehlerrate je Knoten, letzte 42 Tage');
  });

  it('draws nothing without a row', async () => {
    expect(await renderHeatmap(createHeatmapRanking('2025-11-23'))).toBeUndefined();
  });
});

describe('storedSummary', () => {
  it('reads the summary values of a stored page, with dashes for what it lacks', () => {
    const body =
      '<table><tr><td class="interface_import">HL7</td><td class="last_check">2025-11-22 08:00:00</td>' +
      '<td class="daily_imported">10</td><td class="daily_updated">5</td><td class="daily_invalid">x</td>' +
      '<td class="status"><ac:structured-macro ac:name="status"><ac:parameter ac:name="title">ONLINE</ac:parameter>' +
      '<ac:parameter ac:name="color">Green</ac:parameter></ac:structured-macro></td></tr></table>';
    expect(storedSummary(readStoredPage(body))).toEqual({
      interfaceImport: 'HL7',
      lastCheck: '2025-11-22 08:00:00',
      status: { title: 'ONLINE', color: 'Green' },
      importsToday: '15.0',
      errorsToday: '-',
      errorRateToday: '-',
      errorRate7d: '-',
      availability30: '—',
      note: '',
    });
  });
});
