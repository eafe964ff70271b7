import { MAPPING_DEFAULTS } from '@broker-monitor/config';
import { openStore } from '@broker-monitor/csv-store';
import { HEATMAP_DAYS } from '@broker-monitor/heatmap';
import { describe, expect, it } from 'vitest';
import { NO_STATS, readNodeReport } from '../src/node-view.js';
import { dayRows, makeSetup, writeNode } from './store.js';

const node = {
  id: '7',
  commonName: 'Sieben',
  longName: 'Klinikum Sieben',
  jiraLabels: [],
  hospitalInformationSystem: 'ORBIS',
  importInterface: 'HL7',
  thresholdHoursFailure: MAPPING_DEFAULTS.thresholdHoursFailure,
  weeksNotificationInterval: 1,
  consecutiveImportDays: 3,
  root: { patient: 'r', encounter: 'changeme', billing: 'changeme' },
  format: { patient: 'f', encounter: 'changeme', billing: 'changeme' },
  notify: [...MAPPING_DEFAULTS.notify],
  extraRecipients: [],
};
const noContacts = { ed: [], it: [] };

describe('readNodeReport', () => {
  it('takes the heatmap days from last year while the window reaches back into it', async () => {
    const setup = await makeSetup({ mapping: {} });
    const rate = (date: string) => `${Number(date.slice(8, 10))}.00`;
    const withRates = (end: string, days: number) =>
      dayRows({
        end: new Date(end),
        days,
        day: (_age, row) => ({ daily: { ...row.daily, errorRate: rate(row.date) } }),
      });
    await writeNode(setup.working, {
      id: '7',
      year: 2025,
      rows: withRates('2025-01-10T06:00:00Z', 10),
      lastYearRows: withRates('2024-12-31T06:00:00Z', 60),
    });
    const report = await readNodeReport(
      openStore(setup.working),
      node,
      noContacts,
      new Date('2025-01-10T07:00:00Z'),
    );
    if (report === NO_STATS) throw new Error('expected a report');
    const days = report.heatmap?.days ?? [];
    expect(days).toHaveLength(HEATMAP_DAYS);
    expect(days[0]).toEqual({ date: '2024-11-30', dailyErrorRate: '30.00' });
    expect(days.at(-1)).toEqual({ date: '2025-01-10', dailyErrorRate: '10.00' });
    // Page values come from this year's rows only (SPEC §3): the means of the last 7 days.
    expect(report.view.means.errorRate).toBe('7.00');
    expect(report.view.onlineSince).toBe('2025-01-01');
  });

  it('reports a folder without stats rows as NO_STATS', async () => {
    const setup = await makeSetup({ mapping: {} });
    await writeNode(setup.working, { id: '7' });
    expect(
      await readNodeReport(openStore(setup.working), node, noContacts, new Date('2025-06-15T06:30:00Z')),
    ).toBe(NO_STATS);
  });
});
