import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type SmtpTestServer, startSmtpTestServer } from '@broker-monitor/smtp-test-server';
import { testCertPath } from '@broker-monitor/test-certs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  composeAlertMail,
  createMailTransport,
  loadMailTemplates,
  MailAuthError,
  MailConfigError,
  MailConnectionError,
  type MailMessage,
  MailRejectedError,
  MailTlsError,
  type MailTransportOptions,
  sendMail,
} from '../src/index.js';

const USER = 'monitor@aktin.example';
const PASSWORD = 'Sehr-Geheim-42';

function options(
  server: SmtpTestServer,
  overrides: Partial<MailTransportOptions> = {},
): MailTransportOptions {
  return {
    server: server.server,
    username: USER,
    password: PASSWORD,
    startTls: server.mode === 'starttls',
    caBundlePath: testCertPath,
    timeoutMs: 5_000,
    ...overrides,
  };
}

const offlineMail = (): MailMessage =>
  composeAlertMail(
    'offline',
    { clinic_name: 'Klinikum Nürnberg Süd', last_contact: '03.02.2025' },
    {
      from: USER,
      to: ['notaufnahme@klinik.example', 'IT@klinik.example'],
      staticRecipients: ['it@klinik.example', 'team@aktin.example', ''],
    },
  );

describe('implicit TLS (the default)', () => {
  let server: SmtpTestServer;
  beforeAll(async () => {
    server = await startSmtpTestServer({ mode: 'implicit-tls', users: { [USER]: PASSWORD } });
  });
  afterAll(() => server.close());
  beforeEach(() => server.acceptAll());

  it('delivers with From, To, Cc minus To, subject and German text intact', async () => {
    const transport = createMailTransport(options(server));
    expect(transport.security).toBe('implicit-tls');
    const before = server.messages.length;

    const delivery = await sendMail(transport, offlineMail());

    const received = server.messages[before];
    expect(received?.secure).toBe(true);
    expect(received?.user).toBe(USER);
    expect(received?.envelope.from).toBe(USER);
    expect(received?.from).toEqual([USER]);
    expect(received?.to).toEqual(['notaufnahme@klinik.example', 'IT@klinik.example']);
    expect(received?.cc).toEqual(['team@aktin.example']);
    expect(received?.envelope.to).toEqual([
      'notaufnahme@klinik.example',
      'IT@klinik.example',
      'team@aktin.example',
    ]);
    expect(received?.subject).toBe('Automatische Information: AKTIN DWH Offline');
    expect(received?.html).toContain('<b>Klinikum Nürnberg Süd</b>');
    expect(received?.html).toContain('<b>03.02.2025</b>');
    expect(received?.html).toContain('Mit freundlichen Grüßen');
    expect(received?.text).toContain('Klinikum Nürnberg Süd');
    expect(received?.text).not.toContain('<');
    expect(received?.raw.toString('latin1')).toMatch(/Content-Type: text\/html; charset=utf-8/i);
    expect(received?.headerLines.find((header) => header.key === 'auto-submitted')?.line).toBe(
      'Auto-Submitted: auto-generated',
    );
    expect(delivery.accepted).toEqual(received?.envelope.to);
    expect(delivery.rejected).toEqual([]);
    expect(delivery.messageId).toBe(received?.messageId);
    expect(delivery.response).toMatch(/^250/);
  });

  it('delivers a Python-era ISO-8859-1 template as UTF-8 with escaped values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailer-resources-'));
    const legacy = `<html><body><p>Grüße nach \${clinic_name}.</p><p>\${clinic_name} meldet sich seit \${last_contact} nicht.</p></body></html>`;
    writeFileSync(join(dir, 'template_mail_offline.html'), Buffer.from(legacy, 'latin1'));
    const mail = composeAlertMail(
      'offline',
      { clinic_name: 'St. Marien <Köln>', last_contact: '03.02.2025' },
      { from: USER, to: ['ed@klinik.example'], templates: loadMailTemplates(dir) },
    );

    await sendMail(createMailTransport(options(server)), mail);

    const received = server.messages.at(-1);
    expect(received?.html).toBe(
      '<html><body><p>Grüße nach St. Marien &lt;Köln&gt;.</p><p>St. Marien &lt;Köln&gt; meldet sich seit 03.02.2025 nicht.</p></body></html>',
    );
    expect(received?.text).toContain('Grüße nach St. Marien <Köln>.');
    expect(received?.raw.toString('latin1')).toMatch(/charset=utf-8/i);
  });

  it('verify() logs in for --check and fails with a typed error for a wrong password', async () => {
    await expect(createMailTransport(options(server)).verify()).resolves.toBeUndefined();
    await expect(
      createMailTransport(options(server, { password: 'falsch-123' })).verify(),
    ).rejects.toBeInstanceOf(MailAuthError);
  });

  it('reports a wrong password as MailAuthError without the password anywhere', async () => {
    const wrong = 'Falsches-Passwort-7';
    const error = await sendMail(
      createMailTransport(options(server, { password: wrong })),
      offlineMail(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailAuthError);
    const authError = error as MailAuthError;
    expect(authError.responseCode).toBe(535);
    expect(authError.message).toContain(USER);
    for (const shown of [
      authError.message,
      authError.stack ?? '',
      JSON.stringify(authError),
      inspect(authError),
    ]) {
      expect(shown).not.toContain(wrong);
      expect(shown).not.toContain(Buffer.from(`\0${USER}\0${wrong}`).toString('base64'));
    }
    expect(inspect(createMailTransport(options(server)))).not.toContain(PASSWORD);
  });

  it('refuses the self-signed certificate without the CA bundle and trusts it with it', async () => {
    const withoutBundle = options(server, { caBundlePath: undefined });
    const error = await sendMail(createMailTransport(withoutBundle), offlineMail()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MailTlsError);
    expect(error).toBeInstanceOf(MailConnectionError);
    expect((error as Error).message).toContain(server.server);
    expect((error as Error).message).toContain('REQUESTS_CA_BUNDLE');

    await expect(sendMail(createMailTransport(options(server)), offlineMail())).resolves.toMatchObject({
      rejected: [],
    });
    // tlsVerify false is the documented escape hatch for a self-signed server.
    await expect(
      sendMail(createMailTransport({ ...withoutBundle, tlsVerify: false }), offlineMail()),
    ).resolves.toMatchObject({ rejected: [] });
  });

  it('turns a rejected message into MailRejectedError and records nothing', async () => {
    const before = server.messages.length;
    server.rejectMessages(550);
    const error = await sendMail(createMailTransport(options(server)), offlineMail()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MailRejectedError);
    expect((error as MailRejectedError).responseCode).toBe(550);
    expect((error as MailRejectedError).temporary).toBe(false);
    expect(server.messages.length).toBe(before);
  });

  it('marks a 4xx rejection as temporary', async () => {
    server.rejectMessages(451);
    const error = await sendMail(createMailTransport(options(server)), offlineMail()).catch(
      (caught: unknown) => caught,
    );
    expect((error as MailRejectedError).temporary).toBe(true);
  });

  it('resolves when some recipients are refused, naming them, and fails when all are', async () => {
    server.rejectRecipient('team@aktin.example');
    const delivery = await sendMail(createMailTransport(options(server)), offlineMail());
    expect(delivery.rejected).toEqual(['team@aktin.example']);
    expect(server.messages.at(-1)?.envelope.to).toEqual(['notaufnahme@klinik.example', 'IT@klinik.example']);

    const before = server.messages.length;
    server.rejectRecipient('only@klinik.example');
    const lonely = composeAlertMail(
      'offline',
      { clinic_name: 'A', last_contact: '01.01.2025' },
      { from: USER, to: ['only@klinik.example'] },
    );
    const error = await sendMail(createMailTransport(options(server)), lonely).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MailRejectedError);
    expect((error as MailRejectedError).rejected).toEqual(['only@klinik.example']);
    expect(server.messages.length).toBe(before);
  });

  it.each(['rcpt-to', 'data'] as const)(
    'turns a connection dropped at %s into MailConnectionError',
    async (at) => {
      const before = server.messages.length;
      server.dropConnection(at);
      const error = await sendMail(createMailTransport(options(server)), offlineMail()).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(MailConnectionError);
      expect(error).not.toBeInstanceOf(MailTlsError);
      expect((error as MailConnectionError).code).toBe('ECONNECTION');
      expect(server.messages.length).toBe(before);
    },
  );

  it('reports an unreachable server as MailConnectionError', async () => {
    const closed = await startSmtpTestServer({ mode: 'implicit-tls', users: {} });
    await closed.close();
    const error = await sendMail(createMailTransport(options(closed)), offlineMail()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MailConnectionError);
    expect(error).not.toBeInstanceOf(MailTlsError);
    expect((error as MailConnectionError).message).toContain('ECONNREFUSED');
    expect((error as MailConnectionError).message).toContain('SMTP.SERVER');
  });
});

describe('STARTTLS', () => {
  let server: SmtpTestServer;
  beforeAll(async () => {
    server = await startSmtpTestServer({ mode: 'starttls', users: { [USER]: PASSWORD } });
  });
  afterAll(() => server.close());

  it('upgrades, logs in and delivers', async () => {
    const transport = createMailTransport(options(server));
    expect(transport.security).toBe('starttls');
    await sendMail(transport, offlineMail());
    const received = server.messages.at(-1);
    expect(received?.secure).toBe(true);
    expect(received?.subject).toBe('Automatische Information: AKTIN DWH Offline');
    expect(received?.cc).toEqual(['team@aktin.example']);
  });

  it('fails with MailTlsError when implicit TLS is configured for a STARTTLS port', async () => {
    const error = await sendMail(
      createMailTransport(options(server, { startTls: false })),
      offlineMail(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailTlsError);
    expect((error as Error).message).toContain('wrong version number');
    expect((error as Error).message).toContain('SMTP.STARTTLS');
  });
});

describe('createMailTransport', () => {
  const base = { username: USER, password: PASSWORD };

  it('uses port 465 for implicit TLS and 587 for STARTTLS unless the server names one', () => {
    expect(createMailTransport({ ...base, server: 'mail.example.org' })).toMatchObject({
      host: 'mail.example.org',
      port: 465,
      security: 'implicit-tls',
    });
    expect(createMailTransport({ ...base, server: 'mail.example.org', startTls: true }).port).toBe(587);
    expect(createMailTransport({ ...base, server: 'mail.example.org:2525' }).port).toBe(2525);
    expect(createMailTransport({ ...base, server: '[::1]:2525' })).toMatchObject({ host: '::1', port: 2525 });
  });

  it('rejects a malformed server or an unreadable CA bundle with MailConfigError', () => {
    expect(() => createMailTransport({ ...base, server: 'mail.example.org:99999' })).toThrow(MailConfigError);
    expect(() => createMailTransport({ ...base, server: 'a b:25' })).toThrow(MailConfigError);
    expect(() =>
      createMailTransport({ ...base, server: 'mail.example.org', caBundlePath: '/nonexistent/ca.pem' }),
    ).toThrow(/\/nonexistent\/ca\.pem/);
  });
});
