import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatSilences, type Silence } from '@broker-monitor/silences';
import { describe, expect, it } from 'vitest';
import { CONTACTS_CSV, MAPPING, RUN_TIME, writeMarchStore } from './fixtures.js';
import {
  createTestEnv,
  csv,
  healthyRows,
  runEmailService,
  SMTP_USER,
  smtpForTests,
  snapshotTree,
  statsRow,
  TEAM,
  type TestEnv,
} from './helpers.js';

const smtpServer = smtpForTests();

const silence = (id: string, node: string, from: string, until: string, reason: string): Silence => ({
  id,
  node,
  from,
  until,
  kinds: ['OFFLINE', 'NO IMPORTS', 'DWH OUTDATED', 'ANOMALY'],
  reason,
  author: 'admin',
  created: from,
});

/*
 * The March store (run Monday 2025-03-10 08:00 UTC: 1 goes OFFLINE mid-week, 2 NO IMPORTS, 3 on
 * DWH 1.5.1rc1, 4 ONLINE, 5 OFFLINE) plus node 6, offline from 2025-03-01 and back on 2025-03-06;
 * sent mails in the logs, a silence that started in the week and one that ended in it.
 */
async function digestEnv(smtpExtra = '', options: { textfile?: boolean } = {}): Promise<TestEnv> {
  const env = await createTestEnv({
    smtpServer: smtpServer.current.server,
    mapping: MAPPING.replace(
      '"5": {"COMMON_NAME": "[5] Nebenan"}',
      '"5": {"COMMON_NAME": "[5] Nebenan"},\n  "6": {"COMMON_NAME": "[6] Zurück", "LONG_NAME": "Klinik Zurück"}',
    ),
    contactsCsv: CONTACTS_CSV,
    smtpExtra,
    ...options,
  });
  await writeMarchStore(env);
  const away = ['01', '02', '03', '04', '05'].map((day) =>
    statsRow(`2025-03-${day} 06:00:00+00:00`, '2025-02-28T05:59:30Z', '2025-02-28T05:10:00+01:00', '0'),
  );
  await env.write(
    '6/6_stats_2025.csv',
    csv([...healthyRows('2025-02-10', 19), ...away, ...healthyRows('2025-03-06', 5)]),
  );
  await env.write(
    '1/1_sent_mails.log',
    [
      '2025-02-20 06:00:00+00:00 : Sent mail for status OFFLINE to node id 1',
      '2025-03-10 06:00:01.500000+00:00 : Sent mail for status OFFLINE to node id 1',
      '',
    ].join('\n'),
  );
  await env.write(
    '6/6_sent_mails.log',
    [
      '2025-03-04 06:00:00+00:00 : Sent mail for status OFFLINE to node id 6',
      '2025-03-06 06:00:00+00:00 : Sent mail for status OFFLINE RECOVERED to node id 6',
      '',
    ].join('\n'),
  );
  await env.write(
    '.broker-monitor/silences.json',
    formatSilences([
      silence('s00000001', '3', '2025-03-08T23:00:00.000Z', '2025-03-20T23:00:00.000Z', 'DWH-Update'),
      silence('s00000002', '4', '2025-02-24T23:00:00.000Z', '2025-03-05T23:00:00.000Z', 'Umzug'),
      silence('s00000003', '5', '2025-01-05T23:00:00.000Z', '2025-01-10T23:00:00.000Z', 'längst vorbei'),
    ]),
  );
  return env;
}

describe('email-service --digest', () => {
  it('mails the week to STATIC_RECIPIENTS and changes no file of the store', async () => {
    const env = await digestEnv('', { textfile: true });
    const before = await snapshotTree(env.working);
    const sentBefore = smtpServer.current.messages.length;

    const run = await runEmailService(env.config, RUN_TIME, ['--digest']);

    expect(run.code).toBe(0);
    const mails = smtpServer.current.messages.slice(sentBefore);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.from).toEqual([SMTP_USER]);
    expect(mail?.to).toEqual([TEAM]);
    expect(mail?.cc).toEqual([]);
    expect(mail?.subject).toBe('Automatische Information: AKTIN Wochenbericht 03.03.2025 – 10.03.2025');
    expect(mail?.html).toContain('<h3>Knoten je Status</h3>');
    const text = mail?.text ?? '';
    expect(sectionsOf(text)).toEqual({
      'Knoten je Status': ['- OFFLINE: 2', '- NO IMPORTS: 1', '- ONLINE: 3'],
      'Knoten, die nicht ONLINE sind': [
        '- [1] Klinikum Süd: OFFLINE seit 10.03.2025',
        '- [2] Uniklinik Köln: NO IMPORTS seit 08.03.2025',
        '- [5] Nebenan: OFFLINE seit 10.03.2025',
      ],
      'Statuswechsel der Woche': [
        '- [1] Klinikum Süd: 09.03.2025 ONLINE → NO IMPORTS; 10.03.2025 NO IMPORTS → OFFLINE',
        '- [2] Uniklinik Köln: 08.03.2025 ONLINE → NO IMPORTS',
        '- [5] Nebenan: 09.03.2025 ONLINE → NO IMPORTS; 10.03.2025 NO IMPORTS → OFFLINE',
        '- [6] Zurück: 06.03.2025 OFFLINE → ONLINE',
      ],
      'Versandte Benachrichtigungen': [
        '- 04.03.2025 [6] Zurück: OFFLINE',
        '- 06.03.2025 [6] Zurück: OFFLINE RECOVERED',
        '- 10.03.2025 [1] Klinikum Süd: OFFLINE',
      ],
      Wartungsfenster: [
        '- [3] Gütersloh: 09.03.2025 – 20.03.2025, aktiv, begonnen am 09.03.2025 – DWH-Update (admin)',
        '- [4] Aachen: 25.02.2025 – 05.03.2025, beendet am 06.03.2025 – Umzug (admin)',
      ],
      'Veraltete DWH-Version (aktuell 1.5.1)': ['- [3] Gütersloh: dwh-j2ee-1.5.1rc1'],
    });
    expect(text).not.toMatch(/undefined|NaN/);

    expect(run.logs.filter((line) => line.digest === 'weekly')).toEqual([
      expect.objectContaining({ outcome: 'ok', to: [TEAM] }),
    ]);
    expect(run.logs.filter((line) => line.summary === true)).toEqual([
      expect.objectContaining({ ok: 1, failed: 0, exitCode: 0, mails: 1, digest: true }),
    ]);
    // The digest only reads: not even the lock's folder changes.
    expect(await snapshotTree(env.working)).toEqual(before);
    const prom = await readFile(join(env.textfileDir, 'broker_monitor_email-service.prom'), 'utf8');
    expect(prom).toContain('broker_monitor_email_mails_sent_total{node="",name="",kind="digest"} 1');
  });

  it('goes to SMTP.DIGEST_RECIPIENTS when set, and says so where a section is empty', async () => {
    const env = await createTestEnv({
      smtpServer: smtpServer.current.server,
      mapping: '{"4": {"COMMON_NAME": "[4] Aachen"}}',
      contactsCsv: CONTACTS_CSV,
      smtpExtra: 'DIGEST_RECIPIENTS = ["Leitung <leitung@aktin.example>", "it@aktin.example"]',
    });
    await env.write('4/4_stats_2025.csv', csv(healthyRows('2025-02-20', 19)));
    const sentBefore = smtpServer.current.messages.length;

    const run = await runEmailService(env.config, RUN_TIME, ['--digest']);

    expect(run.code).toBe(0);
    const [mail] = smtpServer.current.messages.slice(sentBefore);
    expect(mail?.to).toEqual(['leitung@aktin.example', 'it@aktin.example']);
    expect(mail?.cc).toEqual([]);
    const text = mail?.text ?? '';
    expect(sectionsOf(text)).toMatchObject({
      'Knoten je Status': ['- ONLINE: 1'],
      'Knoten, die nicht ONLINE sind': ['- Alle Knoten sind ONLINE.'],
      'Statuswechsel der Woche': ['- Kein Knoten hat seinen Status gewechselt.'],
      'Versandte Benachrichtigungen': ['- —'],
      Wartungsfenster: ['- Keine Wartungsfenster in dieser Woche.'],
    });
    expect(text).not.toMatch(/undefined|NaN/);
  });

  it('--dry-run prints the digest and sends nothing', async () => {
    const env = await digestEnv();
    const before = await snapshotTree(env.root);
    const sentBefore = smtpServer.current.messages.length;

    const run = await runEmailService(env.config, RUN_TIME, ['--digest', '--dry-run']);

    expect(run.code).toBe(0);
    expect(smtpServer.current.messages.length).toBe(sentBefore);
    expect(run.stdout).toContain('=== digest_20250310T080000Z (dry run: not sent)');
    expect(run.stdout).toContain(`To:      ${TEAM}`);
    expect(run.stdout).toContain(
      'Subject: Automatische Information: AKTIN Wochenbericht 03.03.2025 – 10.03.2025',
    );
    expect(run.stdout).toContain('- [6] Zurück: 06.03.2025 OFFLINE → ONLINE');
    expect(run.stdout).toContain(
      'dry run: 1 mail(s) would be sent; nothing was sent and no file was changed',
    );
    expect(await snapshotTree(env.root)).toEqual(before);
  });

  it('stops with exit 2 naming the key when there is no recipient at all', async () => {
    const env = await digestEnv();
    const config = await readFile(env.config, 'utf8');
    await writeFile(env.config, config.replace(`STATIC_RECIPIENTS = ["${TEAM}"]`, 'STATIC_RECIPIENTS = []'));
    const sentBefore = smtpServer.current.messages.length;

    const run = await runEmailService(env.config, RUN_TIME, ['--digest']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SMTP.DIGEST_RECIPIENTS');
    expect(smtpServer.current.messages.length).toBe(sentBefore);
  });

  it('stops with exit 2 naming the file when silences.json is broken, before any mail', async () => {
    const env = await digestEnv();
    await env.write('.broker-monitor/silences.json', '{"version": 1, "silences": [');
    const sentBefore = smtpServer.current.messages.length;

    const run = await runEmailService(env.config, RUN_TIME, ['--digest']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(env.working, '.broker-monitor', 'silences.json'));
    expect(smtpServer.current.messages.length).toBe(sentBefore);
    expect(await env.read('.broker-monitor/silences.json')).toBe('{"version": 1, "silences": [');
  });

  it('exits 1 with the digest failed when the server refuses it', async () => {
    const env = await digestEnv();
    smtpServer.current.rejectMessages(550);
    try {
      const run = await runEmailService(env.config, RUN_TIME, ['--digest']);
      expect(run.code).toBe(1);
      expect(run.logs.find((line) => line.digest === 'weekly')).toMatchObject({ outcome: 'failed' });
    } finally {
      smtpServer.current.acceptAll();
    }
  });

  it('cannot be combined with --check', async () => {
    const env = await digestEnv();
    const run = await runEmailService(env.config, RUN_TIME, ['--digest', '--check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--digest and --check cannot be combined');
  });
});

/** The digest's plain text by section: each heading with the list lines under it. */
function sectionsOf(text: string): Record<string, string[]> {
  const blocks = text.split('\n\n');
  const sections: Record<string, string[]> = {};
  blocks.forEach((block, index) => {
    if (index > 0 && block.startsWith('- ')) sections[blocks[index - 1] as string] = block.split('\n');
  });
  return sections;
}
