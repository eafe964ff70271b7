import { stat, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  type ConfluenceEmulator,
  contactsPageBody,
  startConfluenceEmulator,
} from '@broker-monitor/confluence-emulator';
import { openStore } from '@broker-monitor/csv-store';
import { type SmtpTestServer, startSmtpTestServer } from '@broker-monitor/smtp-test-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAPPING, marchEnv, RUN_TIME, writeMarchStore } from './fixtures.js';
import {
  CONTACTS_HEADER,
  createTestEnv,
  csv,
  days,
  nodeStats,
  rowTime,
  runEmailService,
  SMTP_PASSWORD,
  SMTP_USER,
  STATS_HEADER,
  statsRow,
  type TestEnvOptions,
} from './helpers.js';

let smtp: SmtpTestServer;
let confluence: ConfluenceEmulator;

beforeAll(async () => {
  smtp = await startSmtpTestServer({ mode: 'implicit-tls', users: { [SMTP_USER]: SMTP_PASSWORD } });
  confluence = await startConfluenceEmulator({ spaces: ['AKTIN', 'EMPTY'] });
  confluence.addPage({
    title: 'E-Mail-Verteiler',
    body: contactsPageBody([
      { nodeId: '1', role: 'IT', firstName: 'A', lastName: 'B', email: 'it@eins.example' },
    ]),
  });
});

afterEach(() => smtp.acceptAll());

afterAll(async () => {
  await smtp.close();
  await confluence.close();
});

const march = (options: Partial<TestEnvOptions> = {}) => marchEnv(smtp.server, options);

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

const NO_ENTRIES = ['tracking_OFFLINE.json', 'tracking_NO_IMPORTS.json', 'tracking_DWH_OUTDATED.json'];

describe('a mail the server does not accept', () => {
  it.each([
    ['rejects the message', () => smtp.rejectMessages(554)],
    ['drops the connection after the message', () => smtp.dropConnection('data')],
    ['drops the connection at RCPT TO', () => smtp.dropConnection('rcpt-to')],
  ])(
    'server %s: no tracking entry, no log line, exit 1; the next run sends each mail once',
    async (_, fail) => {
      const env = await march();
      fail();
      const failed = await runEmailService(env.config, RUN_TIME);
      expect(failed.code).toBe(1);
      for (const id of ['1', '2', '3']) expect(failed.nodes[id]?.outcome).toBe('failed');
      expect(failed.nodes['4']?.outcome).toBe('ok');
      for (const file of NO_ENTRIES) expect(await env.read(file)).toBe('{}');
      await expect(env.read('1/1_sent_mails.log')).rejects.toThrow(/ENOENT/);

      smtp.acceptAll();
      const before = smtp.messages.length;
      const retry = await runEmailService(env.config, new Date('2025-03-10T09:00:00Z'));
      expect(retry.code).toBe(0);
      expect(smtp.messages.slice(before).map((mail) => mail.subject.split(' ').pop())).toEqual([
        'Offline',
        'Imports',
        'veraltet',
      ]);
      expect(await env.read('1/1_sent_mails.log')).toBe(
        '2025-03-10 09:00:00+00:00 : Sent mail for status OFFLINE to node id 1\n',
      );
      const again = await runEmailService(env.config, new Date('2025-03-10T10:00:00Z'));
      expect(again.code).toBe(0);
      expect(smtp.messages.length).toBe(before + 3);
    },
  );

  it('delivers to the other recipients when one is refused, with a warning naming it', async () => {
    const env = await march();
    smtp.rejectRecipient('it@klinik-sued.example');
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(0);
    expect(result.nodes['1']).toMatchObject({ outcome: 'warning' });
    expect(result.nodes['1']?.reason).toContain('refused it@klinik-sued.example');
    expect(await env.read('tracking_OFFLINE.json')).toBe('{"1": "2025-03-10 08:00:00.250000+00:00"}');
  });
});

describe('one node failing does not stop the others (exit 1)', () => {
  it('a broken stats file fails its node only, naming the file', async () => {
    const env = await march();
    await env.write('2/2_stats_2025.csv', 'date;something else\n2025-03-10;x\n');
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(1);
    expect(result.nodes['2']).toMatchObject({ outcome: 'failed', errorType: 'BrokenFileError' });
    expect(result.nodes['2']?.reason).toContain('2_stats_2025.csv');
    expect(result.nodes['1']?.outcome).toBe('ok');
    expect(result.nodes['3']?.outcome).toBe('ok');
    expect(await env.read('tracking_OFFLINE.json')).toBe('{"1": "2025-03-10 08:00:00.250000+00:00"}');
  });

  it('`xyz` as a daily error rate fails its node only, naming file, line and column', async () => {
    const env = await march();
    // Node 3's rows of the March store, the last one's daily error rate broken.
    const stats = nodeStats('2025-02-20', '2025-03-10', () => '12').replace(/;0\.00\n$/, ';xyz\n');
    await env.write('3/3_stats_2025.csv', stats);
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(1);
    expect(result.nodes['3']).toMatchObject({
      outcome: 'failed',
      reason: `${env.working}/3/3_stats_2025.csv: line 20, column daily_error_rate: not a number: "xyz"`,
    });
    expect(result.nodes['1']?.outcome).toBe('ok');
  });

  it('a sent-mail log linked outside the working directory fails its node before any mail; nothing is written there', async () => {
    const env = await march();
    const outside = join(env.root, 'elsewhere.log');
    await symlink(outside, join(env.working, '1', '1_sent_mails.log'));
    const before = smtp.messages.length;
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(1);
    expect(result.nodes['1']).toMatchObject({ outcome: 'failed', errorType: 'UnusablePathError' });
    expect(result.nodes['1']?.reason).toContain(
      `${env.working}/1/1_sent_mails.log: a link to ${outside}, which does not exist`,
    );
    expect(smtp.messages.slice(before).some((mail) => mail.html.includes('Klinikum Süd-Würzburg'))).toBe(
      false,
    );
    await expect(stat(outside)).rejects.toThrow(/ENOENT/);
    expect(await env.read('tracking_OFFLINE.json')).not.toContain('"1"');
    expect(result.nodes['2']?.outcome).toBe('ok');
  });

  it('a broken tracking file fails its status for every node and stays as it is; other statuses go on', async () => {
    const env = await march();
    const broken = '{"2": "2025-03-0';
    await env.write('tracking_NO_IMPORTS.json', broken);
    const before = smtp.messages.length;
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(1);
    expect(result.nodes['2']?.reason).toContain('tracking_NO_IMPORTS.json');
    expect(result.nodes['1']?.outcome).toBe('failed');
    expect(smtp.messages.slice(before).map((mail) => mail.subject.split(' ').pop())).toEqual([
      'Offline',
      'veraltet',
    ]);
    expect(await env.read('tracking_NO_IMPORTS.json')).toBe(broken);
    expect(await env.read('tracking_OFFLINE.json')).toBe('{"1": "2025-03-10 08:00:00.250000+00:00"}');
  });

  it('a node the mapping describes wrongly fails; the others are mailed', async () => {
    const mapping = MAPPING.replace(
      '"WEEKS_NOTIFICATION_INTERVAL": 2',
      '"WEEKS_NOTIFICATION_INTERVAL": "zwei"',
    );
    const env = await march({ mapping });
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(1);
    expect(result.nodes['2']?.outcome).toBe('failed');
    expect(result.nodes['2']?.reason).toContain('WEEKS_NOTIFICATION_INTERVAL');
    expect(result.nodes['1']?.outcome).toBe('ok');
  });
});

describe('states of a node are warnings, not failures (exit 0)', () => {
  it('no folder, no stats row yet, a dwh-j2ee version that is no PEP 440 version', async () => {
    const mapping = `{
      "1": {"COMMON_NAME": "[1] Eins", "LONG_NAME": "Klinik Eins"},
      "3": {"COMMON_NAME": "[3] Drei", "LONG_NAME": "Klinik Drei"},
      "8": {"COMMON_NAME": "[8] Acht"},
      "9": {"COMMON_NAME": "[9] Neun"},
      "6": {"COMMON_NAME": "[6] Sechs"}
    }`;
    const env = await march({ mapping });
    await env.write('3/3_versions.txt', '{"dwh-j2ee": "dwh-j2ee-1.5.x-SNAPSHOT"}');
    // Imports recorded, but never a contact: OFFLINE without a date the mail could name.
    await env.write(
      '6/6_stats_2025.csv',
      csv(days('2025-03-01', 10).map((day) => statsRow(rowTime(day), '-', `${day}T05:00:00Z`, '5'))),
    );
    await env.write('tracking_DWH_OUTDATED.json', '{"3": "2025-03-08 08:00:00+00:00"}');
    await env.write('9/9_stats_2025.csv', `${STATS_HEADER}\n`);
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(0);
    expect(result.nodes['8']).toMatchObject({ outcome: 'warning' });
    expect(result.nodes['8']?.reason).toContain('no folder');
    expect(result.nodes['9']).toMatchObject({ outcome: 'warning' });
    expect(result.nodes['9']?.reason).toContain('no stats row');
    expect(result.nodes['6']).toMatchObject({ outcome: 'warning', status: 'OFFLINE', mails: [] });
    expect(result.nodes['6']?.reason).toContain('never had contact');
    expect(result.nodes['3']).toMatchObject({ outcome: 'warning' });
    expect(result.nodes['3']?.reason).toContain('"1.5.x-SNAPSHOT" is not a PEP 440 version');
    // Unknown whether it is outdated: the entry stays.
    expect(await env.read('tracking_DWH_OUTDATED.json')).toBe('{"3": "2025-03-08 08:00:00+00:00"}');
  });
});

describe('nothing can be done (exit 3)', () => {
  it('SMTP server unreachable: names SMTP.SERVER, creates no file', async () => {
    const env = await march({ smtpServer: `127.0.0.1:${await closedPort()}` });
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('check SMTP.SERVER');
    await expect(env.read('tracking_OFFLINE.json')).rejects.toThrow(/ENOENT/);
  });

  it('SMTP server unreachable: says once on stderr which key to check', async () => {
    const env = await march({ smtpServer: `127.0.0.1:${await closedPort()}` });
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(3);
    expect(result.stderr.match(/check SMTP\.SERVER/g)).toHaveLength(1);
  });

  it('SMTP login refused: names the credentials, never shows the password', async () => {
    const env = await march({ password: 'wrong-password-123' });
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('SMTP.PASSWORD');
    expect(result.stdout + result.stderr).not.toContain('wrong-password-123');
  });

  it('the SMTP server speaks another TLS mode: names SMTP.SERVER', async () => {
    const plain = await startSmtpTestServer({ mode: 'starttls', users: { [SMTP_USER]: SMTP_PASSWORD } });
    try {
      const env = await march({ smtpServer: plain.server });
      const result = await runEmailService(env.config, RUN_TIME);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain('SMTP.STARTTLS');
    } finally {
      await plain.close();
    }
  });

  it.each([
    {
      name: 'unreachable',
      key: 'CONFLUENCE.URL',
      settings: async () => ({
        url: `http://127.0.0.1:${await closedPort()}`,
        token: confluence.token,
        space: 'AKTIN',
      }),
    },
    {
      name: 'refusing the token',
      key: 'CONFLUENCE.TOKEN',
      settings: async () => ({ url: confluence.url, token: 'wrong-token', space: 'AKTIN' }),
    },
    {
      name: 'without the contacts page',
      key: 'CONFLUENCE.SPACE',
      settings: async () => ({ url: confluence.url, token: confluence.token, space: 'EMPTY' }),
    },
  ])('Confluence $name: names $key', async ({ settings, key }) => {
    const env = await createTestEnv({
      smtpServer: smtp.server,
      mapping: MAPPING,
      confluence: await settings(),
    });
    await writeMarchStore(env);
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`check ${key}`);
    expect(result.stdout).not.toContain('wrong-token');
  });

  it('another run holds the lock', async () => {
    const env = await march();
    const lock = await openStore(env.working).lock('node-to-csv', new Date());
    try {
      const before = smtp.messages.length;
      expect((await runEmailService(env.config, RUN_TIME)).code).toBe(3);
      expect(smtp.messages.length).toBe(before);
    } finally {
      await lock.release();
    }
  });
});

describe('usage and configuration errors (exit 2)', () => {
  it('a DIR.CONTACTS table without its columns', async () => {
    const env = await march({
      contactsCsv: `${CONTACTS_HEADER.replace(';Kontakt', ';E-Mail')}\n1;IT;;A;B;a@b.example;;\n`,
    });
    const result = await runEmailService(env.config, RUN_TIME);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DIR.CONTACTS');
    expect(result.stderr).toContain('"Kontakt"');
  });

  it('--dry-run together with --outbox', async () => {
    const env = await march();
    const result = await runEmailService(env.config, RUN_TIME, ['--dry-run', '--outbox', env.root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--dry-run and --outbox cannot be combined');
  });
});
