/** Base of every error this package throws; `instanceof MailError` catches them all. */
export class MailError extends Error {
  override name = 'MailError';
}

/** The transport options are unusable (server address, CA bundle file). */
export class MailConfigError extends MailError {
  override name = 'MailConfigError';
}

/** A template could not be read or rendered, or a mail could not be composed from the values given. */
export class MailComposeError extends MailError {
  override name = 'MailComposeError';
}

/** What the SMTP server answered, where it answered at all. */
export interface SmtpReply {
  /** SMTP reply code, e.g. 535 or 550. */
  responseCode?: number | undefined;
  /** The server's reply text. */
  response?: string | undefined;
}

/** The server refused the login (wrong USERNAME/PASSWORD, or AUTH not offered). */
export class MailAuthError extends MailError implements SmtpReply {
  override name = 'MailAuthError';
  constructor(
    message: string,
    readonly responseCode?: number,
    readonly response?: string,
  ) {
    super(message);
  }
}

/** No SMTP conversation was possible or it broke off: refused, unreachable, timed out, dropped mid-transaction. */
export class MailConnectionError extends MailError {
  override name = 'MailConnectionError';
  constructor(
    message: string,
    /** Nodemailer's error code: `ESOCKET`, `EDNS`, `ETIMEDOUT`, `ECONNECTION`, `ETLS`, `EPROTOCOL`. */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** TLS failed: the certificate was not trusted (see tlsVerify / caBundlePath) or the TLS mode does not match the port. */
export class MailTlsError extends MailConnectionError {
  override name = 'MailTlsError';
}

/** The server refused the message or every recipient; nothing was delivered. */
export class MailRejectedError extends MailError implements SmtpReply {
  override name = 'MailRejectedError';
  constructor(
    message: string,
    readonly responseCode: number | undefined,
    readonly response: string | undefined,
    /** Recipients the server refused (may be empty when it refused the message as a whole). */
    readonly rejected: string[],
  ) {
    super(message);
  }

  /** 4xx replies: the server asks to try again later. */
  get temporary(): boolean {
    return this.responseCode !== undefined && this.responseCode >= 400 && this.responseCode < 500;
  }
}
