import { describe, expect, it } from 'vitest';
import { formatSilences, parseSilences, SilencesFileError } from '../src/file.js';
import {
  expireSilence,
  isActive,
  listedSilences,
  maintenanceNote,
  newSilence,
  type Silence,
  SilenceInputError,
  silenceFor,
} from '../src/silence.js';

const NOW = new Date('2026-12-02T08:00:00Z');
const context = { now: NOW, nodes: new Set(['3', '12']), author: 'it-team', id: 's0000000a' };
const add = (request: Partial<Parameters<typeof newSilence>[0]>) =>
  newSilence(
    {
      node: '12',
      from: undefined,
      until: '2026-12-24',
      status: undefined,
      reason: 'DWH-Migration',
      ...request,
    },
    context,
  );

describe('newSilence', () => {
  it('takes Berlin days, the end day included, and starts now without --from', () => {
    const silence = add({});
    expect(silence).toEqual({
      id: 's0000000a',
      node: '12',
      from: NOW.toISOString(),
      until: '2026-12-24T23:00:00.000Z',
      kinds: ['OFFLINE', 'NO IMPORTS', 'DWH OUTDATED', 'ANOMALY'],
      reason: 'DWH-Migration',
      author: 'it-team',
      created: NOW.toISOString(),
    });
    expect(add({ from: '2026-12-20' }).from).toBe('2026-12-19T23:00:00.000Z');
  });

  it('takes ISO date-times with an offset and a list of statuses, spaces as _', () => {
    const silence = add({
      from: '2026-12-20T06:00:00+01:00',
      until: '2026-12-20T18:00:00Z',
      status: 'OFFLINE,NO_IMPORTS',
    });
    expect(silence).toMatchObject({
      from: '2026-12-20T05:00:00.000Z',
      until: '2026-12-20T18:00:00.000Z',
      kinds: ['OFFLINE', 'NO IMPORTS'],
    });
  });

  it.each([
    [{ node: '99' }, '--node: node 99 is not in the mapping'],
    [{ node: undefined }, '--node: the node id is needed'],
    [{ until: undefined }, '--until: the end of the window is needed (a day or an ISO date-time)'],
    [{ from: '2026-12-26' }, '--until: 2026-12-24 is not after the start'],
    [{ until: '2026-12-01' }, '--until: 2026-12-01 is already past'],
    [
      { until: '24.12.2026' },
      '--until: 24.12.2026 is neither a day (2026-12-24) nor an ISO date-time with offset',
    ],
    [
      { until: '2026-12-24T18:00' },
      '--until: 2026-12-24T18:00 is neither a day (2026-12-24) nor an ISO date-time with offset',
    ],
    [{ until: '2026-02-30' }, '--until: 2026-02-30 is no day'],
    [
      { status: 'OFFLINE,NOIMPORTS' },
      '--status: unknown status "NOIMPORTS" (known: OFFLINE, NO_IMPORTS, DWH_OUTDATED, ANOMALY)',
    ],
    [{ reason: ' ' }, '--reason: say why (e.g. "DWH-Migration")'],
  ])('refuses %o: %s', (request, message) => {
    expect(() => add(request)).toThrow(SilenceInputError);
    expect(() => add(request)).toThrow(message);
  });
});

describe('a silence at work', () => {
  const silence: Silence = { ...add({ from: '2026-12-20', status: 'OFFLINE' }) };

  it('is active from its start to the end of its last day, for its kinds and node only', () => {
    expect(isActive(silence, new Date('2026-12-19T22:59:59Z'))).toBe(false);
    expect(isActive(silence, new Date('2026-12-19T23:00:00Z'))).toBe(true);
    expect(isActive(silence, new Date('2026-12-24T22:59:59Z'))).toBe(true);
    expect(isActive(silence, new Date('2026-12-24T23:00:00Z'))).toBe(false);
    const during = new Date('2026-12-22T06:00:00Z');
    expect(silenceFor([silence], '12', 'OFFLINE', during)).toBe(silence);
    expect(silenceFor([silence], '12', 'NO IMPORTS', during)).toBeUndefined();
    // Without a kind: the node's window whatever it holds back (the pages' note).
    expect(silenceFor([silence], '12', undefined, during)).toBe(silence);
    expect(silenceFor([silence], '13', undefined, during)).toBeUndefined();
    expect(silenceFor([silence], '3', 'OFFLINE', during)).toBeUndefined();
  });

  it('ends at once when expired, and can be expired only while not over', () => {
    const during = new Date('2026-12-22T06:00:00Z');
    const [expired] = expireSilence([silence], silence.id, during);
    expect(expired?.expired).toBe(during.toISOString());
    expect(isActive(expired as Silence, new Date('2026-12-22T06:00:01Z'))).toBe(false);
    expect(() => expireSilence([silence], 'nope', during)).toThrow('expire: no silence nope');
    expect(() => expireSilence([expired as Silence], silence.id, new Date('2026-12-23T00:00:00Z'))).toThrow(
      'is already over',
    );
  });

  it('is listed while active or upcoming, with --all also for 90 days after its end', () => {
    expect(listedSilences([silence], NOW)).toEqual([silence]);
    const afterwards = new Date('2027-02-01T00:00:00Z');
    expect(listedSilences([silence], afterwards)).toEqual([]);
    expect(listedSilences([silence], afterwards, true)).toEqual([silence]);
    expect(listedSilences([silence], new Date('2027-04-01T00:00:00Z'), true)).toEqual([]);
  });

  it('says on the page until when and why', () => {
    expect(maintenanceNote(silence)).toBe('Wartung bis 24.12.2026: DWH-Migration');
  });
});

describe('silences.json', () => {
  it('reads back what it writes; no file means no silences', () => {
    const list = [add({}), { ...add({ node: '3' }), id: 's0000000b', expired: NOW.toISOString() }];
    expect(parseSilences(formatSilences(list), 'silences.json')).toEqual(list);
    expect(parseSilences(undefined, 'silences.json')).toEqual([]);
  });

  it.each([
    ['{', 'not valid JSON'],
    ['[]', 'expected {"version": 1, "silences": [...]}'],
    ['{"version": 1, "silences": [{"id": "x"}]}', 'silences[0]: node is missing or not a node id'],
    [
      '{"version": 1, "silences": [{"id":"x","node":"1","from":"2026-12-01T00:00:00.000Z","until":"2026-12-02T00:00:00.000Z","kinds":["OFLINE"],"reason":"r","author":"a","created":"2026-12-01T00:00:00.000Z"}]}',
      'silences[0]: kinds must be a list of OFFLINE, NO IMPORTS, DWH OUTDATED, ANOMALY',
    ],
  ])('names the file and what is wrong: %s', (text, message) => {
    expect(() => parseSilences(text, '/w/.broker-monitor/silences.json')).toThrow(SilencesFileError);
    expect(() => parseSilences(text, '/w/.broker-monitor/silences.json')).toThrow(
      `/w/.broker-monitor/silences.json: ${message}`,
    );
  });
});
