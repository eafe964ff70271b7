import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { createTransport, type SMTPSentMessageInfo, type Transporter } from 'nodemailer';
import { MailConfigError } from './errors.js';
import { type MailMessage, toNodemailerMessage } from './message.js';
import { type ErrorContext, toMailError } from './send-errors.js';
import { parseServerAddress } from './server-address.js';

export interface MailTransportOptions {
  /** SMTP.SERVER: `host` or `host:port` (default port 465 for implicit TLS, 587 for STARTTLS). */
  server: string;
  /** SMTP.USERNAME, used for AUTH. */
  username: string;
  /** SMTP.PASSWORD, used for AUTH; never appears in an error message. */
  password: string;
  /** SMTP.STARTTLS: connect in plain text, then require STARTTLS. Default false: implicit TLS (SMTPS). */
  startTls?: boolean;
  /** SMTP.TLS_VERIFY: verify the server certificate. Default true. */
  tlsVerify?: boolean;
  /** REQUESTS_CA_BUNDLE: a PEM file whose certificates are trusted in addition to Node's root certificates. */
  caBundlePath?: string;
  /** Limit for connecting, the greeting and each reply. Default 30 000 ms. */
  timeoutMs?: number;
}

/** A configured SMTP server; each mail opens its own session, as the Python version did. */
export interface MailTransport {
  readonly host: string;
  readonly port: number;
  readonly security: 'implicit-tls' | 'starttls';
  /** Connects, negotiates TLS and logs in, then hangs up (for `--check`); throws the typed send errors. */
  verify(): Promise<void>;
  /** Releases the transport; later sends fail. */
  close(): void;
}

/** What the server said to a mail it accepted. */
export interface MailDelivery {
  messageId: string;
  /** Recipients the server accepted. */
  accepted: string[];
  /** Recipients the server refused while accepting the mail for the others. */
  rejected: string[];
  /** The server's final reply, e.g. `250 OK: queued as …`. */
  response: string;
}

class SmtpTransport implements MailTransport {
  readonly security: 'implicit-tls' | 'starttls';
  // #private, so that logging or serialising a transport never shows the password.
  readonly #transporter: Transporter<SMTPSentMessageInfo>;
  readonly #context: ErrorContext;

  constructor(
    readonly host: string,
    readonly port: number,
    startTls: boolean,
    transporter: Transporter<SMTPSentMessageInfo>,
    context: ErrorContext,
  ) {
    this.security = startTls ? 'starttls' : 'implicit-tls';
    this.#transporter = transporter;
    this.#context = context;
  }

  async verify(): Promise<void> {
    try {
      await this.#transporter.verify();
    } catch (error) {
      throw toMailError(error, this.#context);
    }
  }

  async deliver(message: MailMessage): Promise<MailDelivery> {
    try {
      const info = await this.#transporter.sendMail(toNodemailerMessage(message));
      return {
        messageId: info.messageId,
        accepted: info.accepted.map(addressText),
        rejected: info.rejected.map(addressText),
        response: info.response,
      };
    } catch (error) {
      throw toMailError(error, this.#context);
    }
  }

  close(): void {
    this.#transporter.close();
  }
}

function addressText(address: string | { address: string }): string {
  return typeof address === 'string' ? address : address.address;
}

function readCaBundle(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new MailConfigError(`CA bundle ${path} cannot be read (${reason})`);
  }
}

/** Builds the SMTP transport from the SMTP config keys. Throws MailConfigError for a bad address or CA bundle. */
export function createMailTransport(options: MailTransportOptions): MailTransport {
  const startTls = options.startTls ?? false;
  const { host, port } = parseServerAddress(options.server, startTls ? 587 : 465);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const ca =
    options.caBundlePath === undefined
      ? undefined
      : [...rootCertificates, readCaBundle(options.caBundlePath)];
  const transporter = createTransport({
    host,
    port,
    secure: !startTls,
    requireTLS: startTls,
    auth: { user: options.username, pass: options.password },
    tls: { rejectUnauthorized: options.tlsVerify ?? true, ...(ca === undefined ? {} : { ca }) },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    // Our mails never embed files or URLs; refuse them should a message ever carry one.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const server = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new SmtpTransport(host, port, startTls, transporter, {
    server,
    username: options.username,
    password: options.password,
  });
}

/**
 * Sends the mail and resolves once the server accepted it (250 after DATA) for at least one recipient;
 * recipients it refused are listed in `rejected`. Rejects with MailAuthError, MailRejectedError,
 * MailConnectionError (MailTlsError) or MailError: then nothing was accepted.
 */
export function sendMail(transport: MailTransport, message: MailMessage): Promise<MailDelivery> {
  if (!(transport instanceof SmtpTransport)) {
    return Promise.reject(new TypeError('sendMail needs a transport made by createMailTransport'));
  }
  return transport.deliver(message);
}
