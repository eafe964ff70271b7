import { readStoredPage } from '@broker-monitor/page-render';
import { describe, expect, it } from 'vitest';
import { renderHeatmap, storedSummary } from '../src/summary.js';

const NOW = new Date('2025-11-23T06:00:00Z');

describe('renderHeatmap', () => {
  it('draws the nodes with rows and takes the rows over, leaving the array empty', async () => {
    const rows = [
      { nodeName: 'Klinikum A', days: [{ date: '2025-11-23', dailyErrorRate: '12.00' }] },
      undefined,
      { nodeName: 'Klinikum B', days: [{ date: '2025-11-22', dailyErrorRate: '0.00' }] },
    ];
    const picture = await renderHeatmap(rows, NOW);
    expect(picture?.png.subarray(1, 4).toString()).toBe('PNG');
    expect(picture?.caption).toBe('Tägliche Fehlerrate je Knoten, letzte 42 Tage');
    expect(rows).toEqual([]);
  });

  it('draws nothing without a row', async () => {
    expect(await renderHeatmap([undefined], NOW)).toBeUndefined();
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
