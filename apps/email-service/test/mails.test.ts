import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ConfluenceEmulator,
  contactsPageBody,
  startConfluenceEmulator,
} from '@broker-monitor/confluence-emulator';
import {
  type ReceivedMail,
  type SmtpTestServer,
  startSmtpTestServer,
} from '@broker-monitor/smtp-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTACT_LINES,
  CONTACTS_CSV,
  EXPECTED_RECIPIENTS,
  MAPPING,
  RUN_TIME,
  writeMarchStore,
} from './fixtures.js';
import { createTestEnv, runEmailService, SMTP_PASSWORD, SMTP_USER, type TestEnvOptions } from './helpers.js';

let smtp: SmtpTestServer;
/** The E-Mail-Verteiler page on both Confluence flavours. */
const confluences: Partial<Record<'datacenter' | 'cloud', ConfluenceEmulator>> = {};

beforeAll(async () => {
  smtp = await startSmtpTestServer({ mode: 'implicit-tls', users: { [SMTP_USER]: SMTP_PASSWORD } });
  // The same table in both header forms the page has had: <th> cells and <td> cells.
  const rows = CONTACT_LINES.map((line) => {
    const [nodeId = '', role, title, firstName = '', lastName = '', email = '', main, unsubscribed] =
      line.split(';');
    return {
      nodeId,
      role: role as 'IT' | 'Notaufnahme',
      ...(title ? { title } : {}),
      firstName,
      lastName,
      email,
      mainContact: main !== '',
      unsubscribed: unsubscribed !== '',
    };
  });
  for (const flavour of ['datacenter', 'cloud'] as const) {
    const confluence = await startConfluenceEmulator({ flavour, spaces: ['AKTIN', 'TH', 'TD'] });
    for (const headerCells of ['th', 'td'] as const) {
      confluence.addPage({
        title: 'E-Mail-Verteiler',
        spaceKey: headerCells.toUpperCase(),
        body: contactsPageBody(rows, { headerCells }),
      });
    }
    confluences[flavour] = confluence;
  }
});

afterAll(async () => {
  await smtp.close();
  await Promise.all(Object.values(confluences).map((confluence) => confluence.close()));
});

/** Runs the March store with the given contacts source and returns the mails the server accepted, by node. */
async function runMarch(options: Partial<TestEnvOptions>) {
  const env = await createTestEnv({ smtpServer: smtp.server, mapping: MAPPING, ...options });
  await writeMarchStore(env);
  const before = smtp.messages.length;
  const result = await runEmailService(env.config, RUN_TIME);
  const mails = smtp.messages.slice(before);
  const byNode = (name: string) => mails.filter((mail) => mail.html.includes(name));
  return { env, result, mails, byNode };
}

function expectRecipients(mail: ReceivedMail | undefined, expected: { to: string[]; cc: string[] }) {
  expect(mail?.to).toEqual(expected.to);
  expect(mail?.cc).toEqual(expected.cc);
  // Cc goes on the envelope too; nobody gets it twice.
  expect(mail?.envelope.to).toEqual([...expected.to, ...expected.cc]);
}

describe('alert mails from a DIR.CONTACTS table', () => {
  it('mails each status to the right people with the German texts and values', async () => {
    const { result, mails, byNode } = await runMarch({ contactsCsv: CONTACTS_CSV });
    expect(result.code).toBe(0);
    expect(mails).toHaveLength(3);

    const [offline] = byNode('Klinikum Süd-Würzburg');
    expect(offline?.subject).toBe('Automatische Information: AKTIN DWH Offline');
    expectRecipients(offline, EXPECTED_RECIPIENTS['1']);
    // last contact 2025-03-06T23:30Z is 07.03. in Berlin
    expect(offline?.html).toContain('<b>Klinikum Süd-Würzburg</b> hat sich seit dem <b>07.03.2025</b>');
    expect(offline?.text).toContain(
      'Klinikum Süd-Würzburg hat sich seit dem 07.03.2025 nicht mehr am AKTIN Broker gemeldet',
    );

    const [noImports] = byNode('Universitätsklinikum Köln');
    expect(noImports?.subject).toBe('Automatische Information: AKTIN DWH Keine Imports');
    expectRecipients(noImports, EXPECTED_RECIPIENTS['2']);
    expect(noImports?.text).toContain('seit dem 06.03.2025 keine Fälle mehr übermittelt');

    const [outdated] = byNode('Städtisches Klinikum Gütersloh');
    expect(outdated?.subject).toBe('Automatische Information: AKTIN DWH Version veraltet');
    expectRecipients(outdated, EXPECTED_RECIPIENTS['3']);
    expect(outdated?.text).toContain('mit der veralteten Version dwh-j2ee-1.5.1rc1');
    expect(outdated?.text).toContain('aktuelle Version 1.5.1');
    expect(outdated?.text).toContain('aktuelle Version 1.5.3');

    for (const mail of mails) {
      expect(mail.from).toEqual([SMTP_USER]);
      expect(mail.envelope.from).toBe(SMTP_USER);
      expect(mail.user).toBe(SMTP_USER);
      expect(mail.secure).toBe(true);
      expect(mail.headerLines.find((h) => h.key === 'date')?.line).toBe(
        'Date: Mon, 10 Mar 2025 08:00:00 +0000',
      );
    }
  });

  it('logs one line per node: mailed, current, and the node without recipients as a warning', async () => {
    const { result } = await runMarch({ contactsCsv: CONTACTS_CSV });
    expect(result.nodes['1']).toMatchObject({
      outcome: 'ok',
      status: 'OFFLINE',
      mails: [{ status: 'OFFLINE' }],
    });
    expect(result.nodes['4']).toMatchObject({ outcome: 'ok', status: 'ONLINE', mails: [] });
    expect(result.nodes['5']).toMatchObject({ outcome: 'warning', mails: [] });
    expect(result.nodes['5']?.reason).toContain('no recipients');
    const summary = result.logs.find((line) => line.summary === true);
    expect(summary).toMatchObject({ ok: 4, warning: 1, failed: 0, mails: 3, exitCode: 0 });
    expect(result.stdout).not.toContain(SMTP_PASSWORD);
  });

  it('says why a node has no recipients', async () => {
    const { env, result } = await runMarch({ contactsCsv: CONTACTS_CSV });
    expect(result.nodes['5']?.reason).toBe(
      `no recipients in ${env.root}/contacts.csv (Nina Neben (Notaufnahme): not the main contact ("Hauptansprechpartner?" is empty), ` +
        'and of the Notaufnahme only main contacts are mailed): OFFLINE mail not sent',
    );
  });

  it('writes no log line and no tracking entry for the node without recipients', async () => {
    const { env } = await runMarch({ contactsCsv: CONTACTS_CSV });
    expect(await env.read('tracking_OFFLINE.json')).toBe('{"1": "2025-03-10 08:00:00.250000+00:00"}');
    await expect(env.read('5/5_sent_mails.log')).rejects.toThrow(/ENOENT/);
  });
});

describe.each([
  ['datacenter', 'TH'],
  ['datacenter', 'TD'],
  ['cloud', 'TH'],
  ['cloud', 'TD'],
] as const)('alert mails from the E-Mail-Verteiler page (%s, header cells in space %s)', (flavour, space) => {
  it('picks the same recipients as from the table file', async () => {
    const confluence = confluences[flavour] as ConfluenceEmulator;
    const { result, mails, byNode } = await runMarch({
      confluence: { url: confluence.url, token: confluence.token, email: confluence.email, space },
    });
    expect(result.code).toBe(0);
    expect(mails).toHaveLength(3);
    expectRecipients(byNode('Klinikum Süd-Würzburg')[0], EXPECTED_RECIPIENTS['1']);
    expectRecipients(byNode('Universitätsklinikum Köln')[0], EXPECTED_RECIPIENTS['2']);
    expectRecipients(byNode('Städtisches Klinikum Gütersloh')[0], EXPECTED_RECIPIENTS['3']);
    // Cloud answers v1's content endpoints with 410: none was asked.
    expect(confluence.requests.filter((r) => r.status === 410)).toEqual([]);
  });
});

describe('SMTP.STARTTLS', () => {
  it('sends over a plain connection upgraded with STARTTLS', async () => {
    const plain = await startSmtpTestServer({ mode: 'starttls', users: { [SMTP_USER]: SMTP_PASSWORD } });
    try {
      const env = await createTestEnv({
        smtpServer: plain.server,
        mapping: MAPPING,
        contactsCsv: CONTACTS_CSV,
        smtpExtra: 'STARTTLS = true',
      });
      await writeMarchStore(env);
      expect((await runEmailService(env.config, RUN_TIME)).code).toBe(0);
      expect(plain.messages).toHaveLength(3);
      expect(plain.messages.every((mail) => mail.secure)).toBe(true);
    } finally {
      await plain.close();
    }
  });
});

describe('a Python-era template in DIR.RESOURCES', () => {
  it('is used for its kind, read as ISO-8859-1, placeholders filled and escaped, umlauts intact', async () => {
    const legacy = Buffer.from(
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>' +
        `<p>Grüße nach \${clinic_name}! Letzter Kontakt: \${last_contact}. Nochmals: \${clinic_name}.</p></body></html>`,
      'latin1',
    );
    const mapping = MAPPING.replace('"Klinikum Süd-Würzburg"', '"Klinikum Süd <Würzburg> & Co"');
    const { result, mails } = await runMarch({
      contactsCsv: CONTACTS_CSV,
      mapping,
      resources: { 'template_mail_offline.html': legacy, 'template_page.html': '<p>ignored</p>' },
    });
    expect(result.code).toBe(0);
    const offline = mails.find((mail) => mail.subject.endsWith('Offline'));
    expect(offline?.html).toContain(
      '<p>Grüße nach Klinikum Süd &lt;Würzburg&gt; &amp; Co! Letzter Kontakt: 07.03.2025. Nochmals: Klinikum Süd &lt;Würzburg&gt; &amp; Co.</p>',
    );
    expect(offline?.text).toContain('Grüße nach Klinikum Süd <Würzburg> & Co!');
    // The other kinds keep the shipped texts.
    expect(mails.find((mail) => mail.subject.endsWith('Keine Imports'))?.text).toContain(
      'keine Fälle mehr übermittelt',
    );
    expect(
      result.logs.some((line) => String(line.template ?? '').endsWith('template_mail_offline.html')),
    ).toBe(true);
  });
});

describe('per-node notification settings of the mapping', () => {
  it('NOTIFY switches a kind off for its node only; EXTRA_RECIPIENTS go in Cc of that node’s mails', async () => {
    const mapping = JSON.parse(MAPPING) as Record<string, Record<string, unknown>>;
    mapping['1'] = { ...mapping['1'], NOTIFY: ['NO IMPORTS', 'DWH OUTDATED'] };
    mapping['3'] = { ...mapping['3'], EXTRA_RECIPIENTS: ['leitung@gt.example', 'hans@gt.example'] };
    const { result, mails, byNode, env } = await runMarch({
      contactsCsv: CONTACTS_CSV,
      mapping: JSON.stringify(mapping),
    });
    expect(result.code).toBe(0);
    // Node 1 is OFFLINE but wants no OFFLINE mail; nodes 2 and 3 are mailed as before.
    expect(byNode('Klinikum Süd-Würzburg')).toEqual([]);
    expect(mails).toHaveLength(2);
    expectRecipients(byNode('Universitätsklinikum Köln')[0], EXPECTED_RECIPIENTS['2']);
    // hans@ is already in To, so only leitung@ is added, after STATIC_RECIPIENTS.
    expectRecipients(byNode('Städtisches Klinikum Gütersloh')[0], {
      to: EXPECTED_RECIPIENTS['3'].to,
      cc: [...EXPECTED_RECIPIENTS['3'].cc, 'leitung@gt.example'],
    });
    // No mail, so no tracking entry for node 1's OFFLINE.
    expect(JSON.parse(await readFile(join(env.working, 'tracking_OFFLINE.json'), 'utf8'))).toEqual({});
  });
});
