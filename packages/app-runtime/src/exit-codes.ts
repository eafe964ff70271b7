/** Exit codes shared by every app (SPEC §6). */
export const ExitCode = {
  /** Everything done. */
  ok: 0,
  /** Done, but some nodes, pages, mails or files failed (each logged with the reason). */
  partial: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Nothing done: a server unreachable or refusing our credentials, or another run holds the lock. */
  unavailable: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Nothing could be done because a server is unreachable or refuses our credentials.
 * `configKey` names what the user should check, e.g. `BROKER.API_KEY`.
 */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  readonly configKey: string;

  constructor(message: string, configKey: string, options?: { cause?: unknown }) {
    // Some causes already end with the hint (the mailer's "…; check SMTP.SERVER"): said once.
    super(message.includes(`check ${configKey}`) ? message : `${message} (check ${configKey})`, options);
    this.configKey = configKey;
  }
}

/** The command line was wrong; the message is shown with the usage text. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
