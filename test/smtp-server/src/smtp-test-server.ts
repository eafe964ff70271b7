import type { AddressInfo } from 'node:net';
import { testCert, testKey } from '@broker-monitor/test-certs';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { type ParsedTestMail, parseRawMail } from './parse-mail.js';

/** `implicit-tls`: TLS from the first byte (SMTPS, as the Python version's SMTP_SSL); `starttls`: plain, then STARTTLS. */
export type SmtpTestMode = 'implicit-tls' | 'starttls';

export interface SmtpTestServerOptions {
  mode: SmtpTestMode;
  /** Accounts the server accepts for AUTH PLAIN/LOGIN: user name → password. */
  users: Record<string, string>;
}

/** A message the server accepted (answered 250 to DATA). */
export interface ReceivedMail extends ParsedTestMail {
  /** SMTP envelope: MAIL FROM and every accepted RCPT TO. */
  envelope: { from: string; to: string[] };
  /** The authenticated user that sent it. */
  user: string;
  /** Whether the session was encrypted when the message arrived. */
  secure: boolean;
}

/** Where in the mail transaction the server closes the connection without answering. */
export type DropPoint = 'mail-from' | 'rcpt-to' | 'data';

export interface SmtpTestServer {
  readonly mode: SmtpTestMode;
  readonly host: string;
  readonly port: number;
  /** `host:port`, the form SMTP.SERVER takes. */
  readonly server: string;
  /** Every accepted message, in arrival order. */
  readonly messages: readonly ReceivedMail[];
  /** Answer 550 to RCPT TO for this address (case-insensitive) until `acceptAll()`. */
  rejectRecipient(address: string): void;
  /** Read every message, then answer DATA with `code` (default 550) until `acceptAll()`. */
  rejectMessages(code?: number): void;
  /** Close the connection at `at` (default `data`: after the message was sent, before the reply) until `acceptAll()`. */
  dropConnection(at?: DropPoint): void;
  /** Back to accepting everything; recorded messages stay. */
  acceptAll(): void;
  close(): Promise<void>;
}

interface Failures {
  rejectedRecipients: Set<string>;
  messageRejectCode: number | undefined;
  dropAt: DropPoint | undefined;
}

class SmtpReplyError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

/** Starts a real SMTP server on 127.0.0.1 (random port) that requires AUTH and records what it accepts. */
export async function startSmtpTestServer(options: SmtpTestServerOptions): Promise<SmtpTestServer> {
  const messages: ReceivedMail[] = [];
  const failures: Failures = {
    rejectedRecipients: new Set(),
    messageRejectCode: undefined,
    dropAt: undefined,
  };
  // The topmost socket of a session (TLS over TCP): destroying the TCP socket beneath a TLS one
  // can crash Node, and a connection must end at once, without an SMTP reply.
  function destroyConnections(sessionId?: string): void {
    for (const connection of server.connections) {
      if (sessionId === undefined || connection.id === sessionId) connection._socket.destroy();
    }
  }
  const drop = (session: SMTPServerSession): void => destroyConnections(session.id);

  const server = new SMTPServer({
    secure: options.mode === 'implicit-tls',
    key: testKey,
    cert: testCert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    // AUTH only over TLS: in starttls mode the client must upgrade before it may log in.
    allowInsecureAuth: false,
    logger: false,
    // No reverse DNS for 127.0.0.1: it only slows every session down.
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      const expected = auth.username === undefined ? undefined : options.users[auth.username];
      if (expected !== undefined && auth.password === expected) {
        callback(null, { user: auth.username });
      } else {
        callback(new SmtpReplyError('Authentication failed', 535));
      }
    },
    onMailFrom(_address, session, callback) {
      if (failures.dropAt === 'mail-from') return drop(session);
      callback();
    },
    onRcptTo(address, session, callback) {
      if (failures.dropAt === 'rcpt-to') return drop(session);
      if (failures.rejectedRecipients.has(address.address.toLowerCase())) {
        return callback(new SmtpReplyError(`Recipient <${address.address}> rejected`, 550));
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failures.dropAt === 'data') return drop(session);
        if (failures.messageRejectCode !== undefined) {
          return callback(new SmtpReplyError('Message rejected by test server', failures.messageRejectCode));
        }
        parseRawMail(Buffer.concat(chunks)).then(
          (parsed) => {
            const from = session.envelope.mailFrom;
            messages.push({
              ...parsed,
              envelope: {
                from: from === false ? '' : from.address,
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              },
              user: String(session.user),
              secure: session.secure,
            });
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Clients that refuse our certificate or hang up surface here; they are part of the tests, not faults.
  server.on('error', () => {});

  const { port } = server.server.address() as AddressInfo;
  return {
    mode: options.mode,
    host: '127.0.0.1',
    port,
    server: `127.0.0.1:${port}`,
    messages,
    rejectRecipient(address) {
      failures.rejectedRecipients.add(address.toLowerCase());
    },
    rejectMessages(code = 550) {
      failures.messageRejectCode = code;
    },
    dropConnection(at = 'data') {
      failures.dropAt = at;
    },
    acceptAll() {
      failures.rejectedRecipients.clear();
      failures.messageRejectCode = undefined;
      failures.dropAt = undefined;
    },
    async close() {
      // Tearing down a TLS socket in the same tick it was accepted crashes Node 24 (SIGSEGV inside
      // smtp-server's close); one turn of the event loop lets the handshake start first.
      await new Promise((resolve) => setImmediate(resolve));
      destroyConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
