import { MailAuthError, MailConnectionError, MailError, MailRejectedError, MailTlsError } from './errors.js';

/** The fields nodemailer and Node put on their errors. */
interface TransportErrorFields {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  rejected?: unknown;
  syscall?: unknown;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL']);

// Node and OpenSSL report these on the socket; nodemailer passes them on as ESOCKET.
const UNTRUSTED_CERTIFICATE = /certificate|self[- ]signed|unable to (verify|get)|altname/i;
const TLS_MODE_MISMATCH = /wrong version number|packet length too long|unknown protocol|SSL routines/i;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Hides the password should a server or library ever echo it (short ones would garble every message). */
function withoutSecret(message: string, password: string): string {
  return password.length >= 3 ? message.split(password).join('***') : message;
}

/** OpenSSL's `…:SSL routines:func:reason:file:line` down to its reason. */
function opensslReason(message: string): string {
  return /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? message.trim();
}

export interface ErrorContext {
  server: string;
  username: string;
  password: string;
}

/**
 * Turns whatever nodemailer or Node threw into one of our typed errors. The message is ours, built only
 * from the server address, the user name, the error code and the server's reply: never the password.
 */
export function toMailError(error: unknown, context: ErrorContext): MailError {
  const fields: TransportErrorFields = typeof error === 'object' && error !== null ? error : {};
  const code = text(fields.code);
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
  const response = text(fields.response)?.trim();
  const detail = withoutSecret(response ?? text(fields.message) ?? String(error), context.password);
  const where = `SMTP server ${context.server}`;

  if (code === 'EAUTH' || code === 'ENOAUTH') {
    return new MailAuthError(
      `${where} refused the login of user "${context.username}" (${detail}); check SMTP.USERNAME and SMTP.PASSWORD`,
      responseCode,
      response === undefined ? undefined : withoutSecret(response, context.password),
    );
  }
  if (code === 'EENVELOPE' || code === 'EMESSAGE') {
    const rejected = Array.isArray(fields.rejected) ? fields.rejected.map(String) : [];
    return new MailRejectedError(
      `${where} rejected the mail: ${detail}`,
      responseCode,
      response === undefined ? undefined : withoutSecret(response, context.password),
      rejected,
    );
  }
  if (responseCode === undefined && UNTRUSTED_CERTIFICATE.test(detail)) {
    return new MailTlsError(
      `${where} presented a certificate that is not trusted (${opensslReason(detail)}); ` +
        'point REQUESTS_CA_BUNDLE at its CA certificate, or set SMTP.TLS_VERIFY = false',
      code,
    );
  }
  if (code === 'ETLS' || (responseCode === undefined && TLS_MODE_MISMATCH.test(detail))) {
    return new MailTlsError(
      `TLS with ${where} failed (${opensslReason(detail)}); check SMTP.STARTTLS: ` +
        'port 465 speaks implicit TLS (false), port 587 STARTTLS (true)',
      code,
    );
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    // Failed to connect at all (refused, unknown host): the address is the likely culprit.
    const hint =
      fields.syscall === 'connect' || fields.syscall === 'getaddrinfo' ? '; check SMTP.SERVER' : '';
    return new MailConnectionError(`${where}: connection failed (${code}: ${detail})${hint}`, code);
  }
  return new MailError(`${where}: ${detail}`);
}
