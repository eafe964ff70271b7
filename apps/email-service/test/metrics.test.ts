import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SmtpTestServer, startSmtpTestServer } from '@broker-monitor/smtp-test-server';
import { checkMetricsFiles } from '@broker-monitor/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACTS_CSV, MAPPING, RUN_TIME, writeMarchStore } from './fixtures.js';
import { createTestEnv, runEmailService, SMTP_PASSWORD, SMTP_USER, type TestEnv } from './helpers.js';

let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpTestServer({ mode: 'implicit-tls', users: { [SMTP_USER]: SMTP_PASSWORD } });
});
afterAll(() => smtp.close());

const RUN = 'app="email-service"';
const NEXT_DAY = new Date(RUN_TIME.getTime() + 86_400_000);
const sent = (node: string, name: string, kind: string, total: number) =>
  `broker_monitor_email_mails_sent_total{node="${node}",name="${name}",kind="${kind}"} ${total}`;

/** The March store (mails for nodes 1, 2 and 3) with a textfile folder. */
async function marchWithTextfile(): Promise<TestEnv & { prom: () => Promise<string> }> {
  const env = await createTestEnv({
    smtpServer: smtp.server,
    mapping: MAPPING,
    contactsCsv: CONTACTS_CSV,
    textfile: true,
  });
  await writeMarchStore(env);
  return { ...env, prom: () => readFile(join(env.textfileDir, 'broker_monitor_email-service.prom'), 'utf8') };
}

describe('the e-mail service textfile', () => {
  it('after a clean run: the mails per node and kind, kept as running totals by the next run', async () => {
    const env = await marchWithTextfile();
    expect((await runEmailService(env.config, RUN_TIME)).code).toBe(0);
    const lines = (await env.prom()).split('\n');
    expect(lines).toContain(`broker_monitor_run_exit_code{${RUN}} 0`);
    expect(lines).toContain(`broker_monitor_run_last_success_timestamp_seconds{${RUN}} 1741593600.25`);
    expect(lines).toContain('# TYPE broker_monitor_email_mails_sent_total counter');
    expect(lines).toContain(sent('1', '[1] Klinikum Süd', 'OFFLINE', 1));
    expect(lines).toContain(sent('2', '[2] Uniklinik Köln', 'NO IMPORTS', 1));
    expect(lines).toContain(sent('3', '[3] Gütersloh', 'DWH OUTDATED', 1));
    expect(lines.filter((line) => line.startsWith('broker_monitor_email_mails_sent_total{'))).toHaveLength(3);
    expect(await checkMetricsFiles(env.textfileDir)).toEqual({});

    // The next day the interval holds every mail back: the totals stay as they were.
    expect((await runEmailService(env.config, NEXT_DAY)).code).toBe(0);
    const next = (await env.prom()).split('\n');
    expect(next).toContain(sent('1', '[1] Klinikum Süd', 'OFFLINE', 1));
    expect(next).toContain(`broker_monitor_run_last_success_timestamp_seconds{${RUN}} 1741680000.25`);
    expect(await checkMetricsFiles(env.textfileDir)).toEqual({});
  });

  it('after a run with a failed node: exit 1, that node counted as failed and not mailed', async () => {
    const env = await marchWithTextfile();
    await env.write('2/2_stats_2025.csv', 'date;something else\n2025-03-10;x\n');
    expect((await runEmailService(env.config, RUN_TIME)).code).toBe(1);
    const text = await env.prom();
    const lines = text.split('\n');
    expect(lines).toContain(`broker_monitor_run_exit_code{${RUN}} 1`);
    expect(lines).toContain(`broker_monitor_run_outcomes{${RUN},outcome="failed"} 1`);
    expect(lines).toContain(sent('1', '[1] Klinikum Süd', 'OFFLINE', 1));
    expect(text).not.toContain('node="2"');
    expect(await checkMetricsFiles(env.textfileDir)).toEqual({});
  });

  it('after a run that exits 3 (login refused): the totals and the last success of the run before', async () => {
    const env = await marchWithTextfile();
    expect((await runEmailService(env.config, RUN_TIME)).code).toBe(0);
    await writeFile(env.config, (await readFile(env.config, 'utf8')).replace(SMTP_PASSWORD, 'wrong'));
    expect((await runEmailService(env.config, NEXT_DAY)).code).toBe(3);
    const lines = (await env.prom()).split('\n');
    expect(lines).toContain(`broker_monitor_run_exit_code{${RUN}} 3`);
    expect(lines).toContain(`broker_monitor_run_end_timestamp_seconds{${RUN}} 1741680000.25`);
    expect(lines).toContain(`broker_monitor_run_last_success_timestamp_seconds{${RUN}} 1741593600.25`);
    expect(lines).toContain(sent('3', '[3] Gütersloh', 'DWH OUTDATED', 1));
    expect(await checkMetricsFiles(env.textfileDir)).toEqual({});
  });

  it('writes nothing for --dry-run', async () => {
    const env = await marchWithTextfile();
    expect((await runEmailService(env.config, RUN_TIME, ['--dry-run'])).code).toBe(0);
    await expect(env.prom()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
