import { connect } from 'node:net';
import { testCert } from '@broker-monitor/test-certs';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmtpTestMode, type SmtpTestServer, startSmtpTestServer } from '../src/index.js';

const users = { 'monitor@aktin.example': 'geheim' };

function client(server: SmtpTestServer, pass = 'geheim') {
  return createTransport({
    host: server.host,
    port: server.port,
    secure: server.mode === 'implicit-tls',
    requireTLS: server.mode === 'starttls',
    auth: { user: 'monitor@aktin.example', pass },
    tls: { ca: [testCert] },
  });
}

const mail = {
  from: 'monitor@aktin.example',
  to: 'klinik@example.org',
  cc: 'team@aktin.example',
  subject: 'Grüße',
  text: 'Übermittlung läuft',
  html: '<p>Übermittlung läuft</p>',
};

describe.each<SmtpTestMode>(['implicit-tls', 'starttls'])('%s', (mode) => {
  let server: SmtpTestServer;
  beforeAll(async () => {
    server = await startSmtpTestServer({ mode, users });
  });
  afterAll(() => server.close());
  beforeEach(() => server.acceptAll());

  it('records an accepted message with envelope, headers and both bodies, over TLS', async () => {
    const before = server.messages.length;
    await client(server).sendMail(mail);
    const received = server.messages[before];
    expect(received?.envelope).toEqual({
      from: 'monitor@aktin.example',
      to: ['klinik@example.org', 'team@aktin.example'],
    });
    expect(received?.to).toEqual(['klinik@example.org']);
    expect(received?.cc).toEqual(['team@aktin.example']);
    expect(received?.subject).toBe('Grüße');
    expect(received?.text.trim()).toBe('Übermittlung läuft');
    expect(received?.html).toContain('<p>Übermittlung läuft</p>');
    expect(received?.user).toBe('monitor@aktin.example');
    expect(received?.secure).toBe(true);
    expect(received?.raw.toString('latin1')).toContain('Subject:');
  });

  it('refuses a wrong password with 535', async () => {
    await expect(client(server, 'falsch').sendMail(mail)).rejects.toMatchObject({ responseCode: 535 });
  });

  it('rejects a chosen recipient and keeps the others', async () => {
    server.rejectRecipient('TEAM@aktin.example');
    const info = await client(server).sendMail(mail);
    expect(info.rejected).toEqual(['team@aktin.example']);
    expect(server.messages.at(-1)?.envelope.to).toEqual(['klinik@example.org']);
  });

  it('rejects the message on DATA and records nothing', async () => {
    const before = server.messages.length;
    server.rejectMessages(554);
    await expect(client(server).sendMail(mail)).rejects.toMatchObject({ responseCode: 554 });
    expect(server.messages.length).toBe(before);
  });

  it.each(['mail-from', 'rcpt-to', 'data'] as const)('drops the connection at %s', async (at) => {
    const before = server.messages.length;
    server.dropConnection(at);
    await expect(client(server).sendMail(mail)).rejects.toMatchObject({ code: 'ECONNECTION' });
    expect(server.messages.length).toBe(before);
    server.acceptAll();
    await client(server).sendMail(mail);
    expect(server.messages.length).toBe(before + 1);
  });
});

it('starttls mode does not offer AUTH before the upgrade', async () => {
  const server = await startSmtpTestServer({ mode: 'starttls', users });
  try {
    const plain = createTransport({
      host: server.host,
      port: server.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: 'monitor@aktin.example', pass: 'geheim' },
    });
    await expect(plain.sendMail(mail)).rejects.toThrow();
    expect(server.messages).toHaveLength(0);
  } finally {
    await server.close();
  }
});

it('closes while a client that has just connected has not started the TLS handshake', async () => {
  const server = await startSmtpTestServer({ mode: 'implicit-tls', users });
  const socket = connect(server.port, server.host);
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  await server.close();
  socket.destroy();
});
