import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTACTS_HEADER,
  createTestEnv,
  days,
  nodeStats,
  runEmailService,
  smtpForTests,
  TEAM,
  type TestEnv,
} from './helpers.js';

/*
 * SMTP.ANOMALY_MAILS: a clinic whose imports fall far below its normal (the page's note
 * `Importe auffällig niedrig`) is mailed with the repeat rules of the other mails.
 */
const smtpServer = smtpForTests();

// Node 2 lists NOTIFY without ANOMALY: it opts out. Nodes 1 and 3 take the default (every kind).
const MAPPING = `{
  "1": {"COMMON_NAME": "[1] Eins", "LONG_NAME": "Klinik Eins", "EXTRA_RECIPIENTS": ["leitung@eins.example"]},
  "2": {"COMMON_NAME": "[2] Zwei", "LONG_NAME": "Klinik Zwei", "NOTIFY": ["OFFLINE", "NO IMPORTS", "DWH OUTDATED"]},
  "3": {"COMMON_NAME": "[3] Drei", "LONG_NAME": "Klinik Drei"}
}`;

const CONTACTS = `${CONTACTS_HEADER}
1;IT;;Eva;Eins;it@eins.example;;
2;IT;;Ida;Zwei;it@zwei.example;;
3;IT;;Dora;Drei;it@drei.example;;
`;

const NODES = ['1', '2', '3'];

/** 390 imports a day, 41 from 2025-03-03 to 2025-03-12 (reachable all the while), 390 again after. */
const importsOn = (day: string) => (day >= '2025-03-03' && day <= '2025-03-12' ? '41' : '390');

async function writeStores(env: TestEnv, day: string): Promise<void> {
  for (const node of NODES) {
    await env.write(`${node}/${node}_stats_2025.csv`, nodeStats('2025-02-01', day, importsOn));
  }
}

const at = (day: string, time = '08:00:00') => new Date(`${day}T${time}Z`);

const anomalyEnv = (smtpExtra: string, textfile = false) =>
  createTestEnv({
    smtpServer: smtpServer.current.server,
    mapping: MAPPING,
    contactsCsv: CONTACTS,
    smtpExtra,
    textfile,
  });

/** Runs the day's collection and mail run; the clinics mailed, with their subjects' last words. */
async function runDay(env: TestEnv, day: string, flags: string[] = []) {
  await writeStores(env, day);
  const before = smtpServer.current.messages.length;
  const result = await runEmailService(env.config, at(day), flags);
  expect(result.code, result.stderr).toBe(0);
  const messages = smtpServer.current.messages.slice(before);
  const mailed = messages.map(
    (mail) =>
      `${/Klinik \w+/.exec(mail.text)?.[0]}: ${mail.subject.replace('Automatische Information: AKTIN DWH ', '')}`,
  );
  return { result, messages, mailed };
}

describe('the anomaly mail (SMTP.ANOMALY_MAILS = true)', () => {
  it('mails on the first day of a drop, repeats after the interval, forgets the node when imports recover', async () => {
    const env = await anomalyEnv('ANOMALY_MAILS = true\nRECOVERY_MAILS = true', true);
    const mailedOn: Record<string, string[]> = {};
    const trackingAfter: Record<string, string> = {};
    for (const day of days('2025-03-01', 15)) {
      const { mailed, messages, result } = await runDay(env, day);
      if (mailed.length > 0) mailedOn[day] = mailed;
      trackingAfter[day] = await env.read('tracking_ANOMALY.json');
      if (day === '2025-03-03') {
        const mail = messages.find((message) => message.text.includes('Klinik Eins'));
        expect(mail?.to).toEqual(['it@eins.example']);
        expect(mail?.cc).toEqual([TEAM, 'leitung@eins.example']);
        expect(mail?.html).toContain('<b>41</b> Fälle');
        expect(mail?.text).toContain('am 03.03.2025 nur 41 Fälle übermittelt');
        expect(mail?.text).toContain('etwa 390 Fälle am Tag');
        expect(mail?.text).toContain('Schnittstelle');
        expect(result.nodes['1']).toMatchObject({ mails: [{ status: 'ANOMALY' }] });
      }
      // The drop ends: the entry goes, and no recovery mail follows (RECOVERY_MAILS is about OFFLINE / NO IMPORTS).
      if (day === '2025-03-13') expect(result.nodes['1']).toMatchObject({ mails: [], cleared: ['ANOMALY'] });
    }
    // Interval 1 week: the 8th day of the drop, as for the other mails; node 2 opted out.
    expect(mailedOn).toEqual({
      '2025-03-03': ['Klinik Eins: Importe auffällig niedrig', 'Klinik Drei: Importe auffällig niedrig'],
      '2025-03-11': ['Klinik Eins: Importe auffällig niedrig', 'Klinik Drei: Importe auffällig niedrig'],
    });
    expect(trackingAfter['2025-03-02']).toBe('{}');
    expect(trackingAfter['2025-03-10']).toBe(
      '{"1": "2025-03-03 08:00:00+00:00", "3": "2025-03-03 08:00:00+00:00"}',
    );
    expect(trackingAfter['2025-03-12']).toBe(
      '{"1": "2025-03-11 08:00:00+00:00", "3": "2025-03-11 08:00:00+00:00"}',
    );
    expect(trackingAfter['2025-03-13']).toBe('{}');
    expect(await env.read('1/1_sent_mails.log')).toBe(
      '2025-03-03 08:00:00+00:00 : Sent mail for status ANOMALY to node id 1\n' +
        '2025-03-11 08:00:00+00:00 : Sent mail for status ANOMALY to node id 1\n',
    );
    const prom = await readFile(join(env.textfileDir, 'broker_monitor_email-service.prom'), 'utf8');
    expect(prom).toContain(
      'broker_monitor_email_mails_sent_total{node="1",name="[1] Eins",kind="ANOMALY"} 2',
    );
    expect(prom).not.toContain('node="2"');
  }, 60_000);

  it('holds the mail back while a silence of ANOMALY or of every kind is active, tracking untouched', async () => {
    const env = await anomalyEnv('ANOMALY_MAILS = true');
    // Node 1: a silence of ANOMALY only; node 3: one of every kind (the default).
    for (const flags of ['--node 1 --status ANOMALY', '--node 3']) {
      const added = await runEmailService(env.config, at('2025-03-03', '07:00:00'), [
        'silence',
        'add',
        ...`${flags} --until 2025-03-04 --reason Umbau`.split(' '),
      ]);
      expect(added.code).toBe(0);
    }
    const silenced = await runDay(env, '2025-03-03');
    expect(silenced.mailed).toEqual([]);
    for (const node of ['1', '3']) {
      expect(silenced.result.nodes[node]).toMatchObject({
        suppressed: [{ status: 'ANOMALY', reason: 'Umbau' }],
      });
    }
    expect(await env.read('tracking_ANOMALY.json')).toBe('{}');
    const dry = await runDay(env, '2025-03-04', ['--dry-run']);
    expect(dry.result.stdout).toMatch(/=== 1 ANOMALY: suppressed \(silence s[0-9a-f]{8}: Umbau, until /);
    // The windows ended at midnight in Berlin: the mail goes as if they had never been.
    expect((await runDay(env, '2025-03-05')).mailed).toEqual([
      'Klinik Eins: Importe auffällig niedrig',
      'Klinik Drei: Importe auffällig niedrig',
    ]);
  });

  it('is printed by --dry-run, which creates no tracking file', async () => {
    const env = await anomalyEnv('ANOMALY_MAILS = true');
    const { result, mailed } = await runDay(env, '2025-03-03', ['--dry-run']);
    expect(mailed).toEqual([]);
    expect(result.stdout).toContain('=== 1_ANOMALY_20250303T080000Z (dry run: not sent)');
    expect(result.stdout).toContain('Automatische Information: AKTIN DWH Importe auffällig niedrig');
    expect(result.stdout).not.toContain('=== 2_ANOMALY');
    expect(await readdir(env.working)).not.toContain('tracking_ANOMALY.json');
  });

  it('is checked by --check', async () => {
    const env = await anomalyEnv('ANOMALY_MAILS = true');
    await writeStores(env, '2025-03-03');
    await env.write('tracking_ANOMALY.json', '{"1": ');
    const result = await runEmailService(env.config, at('2025-03-03'), ['--check']);
    expect(result.stdout).toContain('template anomaly: shipped');
    expect(result.stdout).toContain('tracking ANOMALY:');
    expect(result.stdout).toContain('tracking_ANOMALY.json cannot be used');
    expect(result.code).toBe(1);
  });
});

describe('without SMTP.ANOMALY_MAILS', () => {
  it('sends nothing and writes no new file: the working directory holds what it held before', async () => {
    const env = await anomalyEnv('');
    const { mailed, result } = await runDay(env, '2025-03-03');
    expect(mailed).toEqual([]);
    expect(result.nodes['1']).toMatchObject({ mails: [], cleared: [] });
    // What the run wrote before ANOMALY_MAILS existed: the three tracking files (and the lock's folder).
    expect((await readdir(env.working)).sort()).toEqual([
      '.broker-monitor',
      ...NODES,
      'tracking_DWH_OUTDATED.json',
      'tracking_NO_IMPORTS.json',
      'tracking_OFFLINE.json',
    ]);
    expect(await readdir(join(env.working, '.broker-monitor'))).toEqual([]);
    for (const node of NODES)
      expect(await readdir(join(env.working, node))).toEqual([`${node}_stats_2025.csv`]);
    const check = await runEmailService(env.config, at('2025-03-03'), ['--check']);
    expect(check.stdout).not.toMatch(/anomaly/i);
  });

  it('refuses a value that is not true or false, naming the file and the key', async () => {
    const env = await anomalyEnv('ANOMALY_MAILS = "ja"');
    const result = await runEmailService(env.config, at('2025-03-03'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(env.config);
    expect(result.stderr).toContain('SMTP.ANOMALY_MAILS');
    expect(result.stderr).toContain('true or false');
  });
});
