import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseRawMail, type SmtpTestServer, startSmtpTestServer } from '@broker-monitor/smtp-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_RECIPIENTS, marchEnv, RUN_TIME } from './fixtures.js';
import { runEmailService, SMTP_PASSWORD, SMTP_USER, snapshotTree, type TestEnvOptions } from './helpers.js';

let smtp: SmtpTestServer;

beforeAll(async () => {
  smtp = await startSmtpTestServer({ mode: 'implicit-tls', users: { [SMTP_USER]: SMTP_PASSWORD } });
});

afterAll(async () => {
  await smtp.close();
});

const march = (options: Partial<TestEnvOptions> = {}) => marchEnv(smtp.server, options);

describe('--dry-run', () => {
  it('prints every mail that would go out, sends nothing and changes no file', async () => {
    const env = await march();
    // An entry that a real run would remove (node 4 is current) must stay too.
    await env.write('tracking_DWH_OUTDATED.json', '{"4": "2025-03-01 08:00:00+00:00"}');
    const before = await snapshotTree(env.root);
    const sent = smtp.messages.length;

    const result = await runEmailService(env.config, RUN_TIME, ['--dry-run']);

    expect(result.code).toBe(0);
    expect(smtp.messages.length).toBe(sent);
    expect(await snapshotTree(env.root)).toEqual(before);
    expect(result.stdout).toContain(
      `To:      ${EXPECTED_RECIPIENTS['1'].to.join(', ')}\nCc:      team@aktin.example\nSubject: Automatische Information: AKTIN DWH Offline`,
    );
    expect(result.stdout).toContain(
      'Klinikum Süd-Würzburg hat sich seit dem 07.03.2025 nicht mehr am AKTIN Broker gemeldet',
    );
    expect(result.stdout).toContain(`To:      ${EXPECTED_RECIPIENTS['2'].to.join(', ')}\nCc:      (none)`);
    expect(result.stdout).toContain('Subject: Automatische Information: AKTIN DWH Version veraltet');
    expect(result.stdout).toContain(
      'dry run: 3 mail(s) would be sent; nothing was sent and no file was changed',
    );
    expect(result.nodes['4']).toMatchObject({ outcome: 'ok', cleared: ['DWH OUTDATED'], mode: 'dry-run' });
  });

  it('needs no SMTP server', async () => {
    const env = await march({ smtpServer: '127.0.0.1:1' });
    const result = await runEmailService(env.config, RUN_TIME, ['--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 mail(s) would be sent');
  });
});

describe('--outbox DIR', () => {
  it('writes each mail as a parseable .eml file instead of sending it, and updates the tracking', async () => {
    const env = await march({ smtpServer: '127.0.0.1:1' });
    const outbox = join(env.root, 'outbox');
    const sent = smtp.messages.length;

    const result = await runEmailService(env.config, RUN_TIME, ['--outbox', outbox]);

    expect(result.code).toBe(0);
    expect(smtp.messages.length).toBe(sent);
    const files = (await readdir(outbox)).sort();
    expect(files).toEqual([
      '1_OFFLINE_20250310T080000Z.eml',
      '2_NO_IMPORTS_20250310T080000Z.eml',
      '3_DWH_OUTDATED_20250310T080000Z.eml',
    ]);
    const offline = await parseRawMail(await readFile(join(outbox, files[0] ?? '')));
    expect(offline.from).toEqual([SMTP_USER]);
    expect(offline.to).toEqual(EXPECTED_RECIPIENTS['1'].to);
    expect(offline.cc).toEqual(EXPECTED_RECIPIENTS['1'].cc);
    expect(offline.subject).toBe('Automatische Information: AKTIN DWH Offline');
    expect(offline.text).toContain('Klinikum Süd-Würzburg hat sich seit dem 07.03.2025');
    const noImports = await parseRawMail(await readFile(join(outbox, files[1] ?? '')));
    expect(noImports.to).toEqual(EXPECTED_RECIPIENTS['2'].to);

    expect(await env.read('tracking_OFFLINE.json')).toBe('{"1": "2025-03-10 08:00:00.250000+00:00"}');
    expect(await env.read('tracking_NO_IMPORTS.json')).toBe('{"2": "2025-03-10 08:00:00.250000+00:00"}');
    expect(await env.read('tracking_DWH_OUTDATED.json')).toBe('{"3": "2025-03-10 08:00:00.250000+00:00"}');
    expect(await env.read('3/3_sent_mails.log')).toBe(
      '2025-03-10 08:00:00.250000+00:00 : Sent mail for status DWH OUTDATED to node id 3\n',
    );

    // As after a real send: the next run within the interval writes nothing new.
    const again = await runEmailService(env.config, new Date('2025-03-11T08:00:00Z'), ['--outbox', outbox]);
    expect(again.code).toBe(0);
    expect(await readdir(outbox)).toHaveLength(3);
  });
});

describe('--check', () => {
  it('reports config, mapping, contacts and the SMTP login; changes nothing', async () => {
    const env = await march();
    const before = await snapshotTree(env.root);
    const sent = smtp.messages.length;
    const result = await runEmailService(env.config, RUN_TIME, ['--check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('mapping: 5 node(s)');
    expect(result.stdout).toContain('contacts: 11 row(s) from');
    expect(result.stdout).toContain('no recipients for node(s) 4, 5');
    expect(result.stdout).toContain(
      `smtp: logged in to 127.0.0.1:${smtp.port} (implicit-tls) as ${SMTP_USER}`,
    );
    expect(smtp.messages.length).toBe(sent);
    expect(await snapshotTree(env.root)).toEqual(before);
  });

  it('exits 1 for a tracking file that cannot be read, naming it', async () => {
    const env = await march();
    await env.write('tracking_OFFLINE.json', '["not", "an object"]');
    const result = await runEmailService(env.config, RUN_TIME, ['--check']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /tracking OFFLINE: \S+tracking_OFFLINE.json cannot be used: .*not a JSON object/,
    );
  });

  it('exits 3 when the SMTP login is refused', async () => {
    const env = await march({ password: 'not-the-password' });
    const result = await runEmailService(env.config, RUN_TIME, ['--check']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('SMTP.PASSWORD');
  });

  it('exits 3 when the SMTP server is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const env = await march({ smtpServer: `127.0.0.1:${port}` });
    expect((await runEmailService(env.config, RUN_TIME, ['--check'])).code).toBe(3);
  });
});
