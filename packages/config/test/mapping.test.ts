import { describe, expect, it } from 'vitest';
import { ConfigError, loadNodeMapping, MAPPING_DEFAULTS, parseNodeMapping } from '../src/index.js';

const FILE = '/etc/bm/mapping.json';
const parse = (data: unknown) => parseNodeMapping(JSON.stringify(data), FILE);
/** Entries as raw JSON text, so that the file order of numeric ids survives (JSON.stringify would sort them). */
const parseEntries = (entries: Array<[string, unknown]>) =>
  parseNodeMapping(
    `{${entries.map(([id, node]) => `${JSON.stringify(id)}: ${JSON.stringify(node)}`).join(',\n')}}`,
    FILE,
  );

describe('node mapping', () => {
  it('applies the defaults of SPEC §1, treating falsy values as unset like the original', () => {
    const mapping = parse({
      '1': { COMMON_NAME: '[1] Clinic1' },
      '2': {
        COMMON_NAME: '[2] Zwei',
        LONG_NAME: '',
        THRESHOLD_HOURS_FAILURE: 0,
        WEEKS_NOTIFICATION_INTERVAL: null,
        CONSECUTIVE_IMPORT_DAYS: 0,
        JIRA_LABELS: null,
      },
    });
    expect(mapping.problems).toEqual([]);
    for (const node of mapping.nodes) {
      expect(node).toMatchObject({
        longName: 'changeme',
        hospitalInformationSystem: 'changeme',
        importInterface: 'changeme',
        jiraLabels: [],
        thresholdHoursFailure: 72,
        weeksNotificationInterval: 1,
        consecutiveImportDays: 3,
        root: { patient: 'changeme', encounter: 'changeme', billing: 'changeme' },
        format: { patient: 'changeme', encounter: 'changeme', billing: 'changeme' },
        notify: ['OFFLINE', 'NO IMPORTS', 'DWH OUTDATED', 'ANOMALY'],
        extraRecipients: [],
      });
    }
    expect(MAPPING_DEFAULTS.thresholdHoursFailure).toBe(72);
  });

  it('reads every known key, keeping the file order of numeric ids as the original', () => {
    const mapping = parseEntries([
      ['10', { COMMON_NAME: '[10] Zehn' }],
      [
        '3',
        {
          COMMON_NAME: '[3] ÄÜÖ äüö',
          LONG_NAME: 'Klinikum Drei',
          JIRA_LABELS: ['a', 'b'],
          HOSPITAL_INFORMATION_SYSTEM: 'ABC',
          IMPORT_INTERFACE: 'DEF',
          THRESHOLD_HOURS_FAILURE: 12,
          WEEKS_NOTIFICATION_INTERVAL: 2,
          CONSECUTIVE_IMPORT_DAYS: 7,
          ROOT: { PATIENT: '1.2.2', ENCOUNTER: '1.2.45' },
          FORMAT: { PATIENT: '1111', ENCOUNTER: '2222', BILLING: '3333' },
        },
      ],
    ]);
    expect(mapping.nodes.map((n) => n.id)).toEqual(['10', '3']);
    expect(mapping.nodes[1]).toEqual({
      id: '3',
      commonName: '[3] ÄÜÖ äüö',
      longName: 'Klinikum Drei',
      jiraLabels: ['a', 'b'],
      hospitalInformationSystem: 'ABC',
      importInterface: 'DEF',
      thresholdHoursFailure: 12,
      weeksNotificationInterval: 2,
      consecutiveImportDays: 7,
      root: { patient: '1.2.2', encounter: '1.2.45', billing: 'changeme' },
      format: { patient: '1111', encounter: '2222', billing: '3333' },
      notify: ['OFFLINE', 'NO IMPORTS', 'DWH OUTDATED', 'ANOMALY'],
      extraRecipients: [],
    });
  });

  it('reads the notification settings NOTIFY and EXTRA_RECIPIENTS', () => {
    const mapping = parse({
      '1': { COMMON_NAME: 'a', NOTIFY: ['OFFLINE', 'ANOMALY'], EXTRA_RECIPIENTS: ['it@klinik.example'] },
      '2': { COMMON_NAME: 'b', NOTIFY: [] },
    });
    expect(mapping.problems).toEqual([]);
    expect(mapping.nodes.map((n) => [n.notify, n.extraRecipients])).toEqual([
      [['OFFLINE', 'ANOMALY'], ['it@klinik.example']],
      [[], []],
    ]);
  });

  it('fails the node whose NOTIFY or EXTRA_RECIPIENTS is not what they take, naming node and key', () => {
    const mapping = parse({
      '1': { COMMON_NAME: 'a', NOTIFY: 'OFFLINE' },
      '2': { COMMON_NAME: 'b', NOTIFY: ['OFFLINE', 'NOIMPORTS'] },
      '3': { COMMON_NAME: 'c', EXTRA_RECIPIENTS: 'it@klinik.example' },
      '4': { COMMON_NAME: 'd', EXTRA_RECIPIENTS: ['a@x.example, b@x.example'] },
      '5': { COMMON_NAME: 'e', EXTRA_RECIPIENTS: ['nobody'] },
    });
    expect(mapping.nodes).toEqual([]);
    expect(mapping.problems.map((p) => p.message)).toEqual([
      `${FILE}: node 1: NOTIFY: expected a list of "OFFLINE", "NO IMPORTS", "DWH OUTDATED", "ANOMALY", found "OFFLINE" (string)`,
      `${FILE}: node 2: NOTIFY: expected a list of "OFFLINE", "NO IMPORTS", "DWH OUTDATED", "ANOMALY", found ["OFFLINE","NOIMPORTS"] (list)`,
      `${FILE}: node 3: EXTRA_RECIPIENTS: expected a list of e-mail addresses, found "it@klinik.example" (string)`,
      `${FILE}: node 4: EXTRA_RECIPIENTS: expected a list of e-mail addresses, found ["a@x.example, b@x.example"] (list)`,
      `${FILE}: node 5: EXTRA_RECIPIENTS: expected a list of e-mail addresses, found ["nobody"] (list)`,
    ]);
  });

  it('fails only the node with a missing COMMON_NAME, a wrong type or a non-digit id', () => {
    const mapping = parseEntries([
      ['1', { COMMON_NAME: 'ok' }],
      ['2', { LONG_NAME: 'no common name' }],
      ['3', { COMMON_NAME: 'x', THRESHOLD_HOURS_FAILURE: '48', JIRA_LABELS: 'label' }],
      ['../4', { COMMON_NAME: 'evil' }],
      ['5', 'not an object'],
    ]);
    expect(mapping.nodes.map((n) => n.id)).toEqual(['1']);
    expect(mapping.problems).toEqual([
      { nodeId: '2', message: `${FILE}: node 2: COMMON_NAME is missing` },
      {
        nodeId: '3',
        message: `${FILE}: node 3: JIRA_LABELS: expected a list of strings, found "label" (string); THRESHOLD_HOURS_FAILURE: expected a number ≥ 0 (0 means the default), found "48" (string)`,
      },
      { nodeId: '../4', message: `${FILE}: node ../4: node ids must be digits` },
      { nodeId: '5', message: `${FILE}: node 5: expected an object, found "not an object" (string)` },
    ]);
  });

  it('warns about each unknown key once', () => {
    const mapping = parse({
      '1': { COMMON_NAME: 'a', COLOR: 'red', ROOT: { PATIENT: '1', OTHER: '2' } },
      '2': { COMMON_NAME: 'b', COLOR: 'blue' },
    });
    expect(mapping.nodes).toHaveLength(2);
    expect(mapping.warnings).toEqual([
      `${FILE}: unknown key COLOR (first seen at node 1; ignored)`,
      `${FILE}: unknown key ROOT.OTHER (first seen at node 1; ignored)`,
    ]);
  });

  it('refuses a file that is not JSON or not an object', () => {
    expect(() => parseNodeMapping('{ "1": ', FILE)).toThrow(ConfigError);
    expect(() => parseNodeMapping('{ "1": ', FILE)).toThrow(/mapping.json.*\n.*not valid JSON/);
    expect(() => parse([{ COMMON_NAME: 'x' }])).toThrow(
      /expected a JSON object keyed by node id, found .* \(list\)/,
    );
  });

  it('names a missing mapping file', async () => {
    await expect(loadNodeMapping('/nonexistent/mapping.json')).rejects.toThrow(
      /\/nonexistent\/mapping.json: cannot load node mapping\n.*CONFLUENCE.MAPPING_JSON: file not found/,
    );
  });
});
