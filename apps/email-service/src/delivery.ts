/*
 * The three ways a composed mail leaves the app: sent over SMTP, written to an outbox folder as
 * .eml (`--outbox`), or printed (`--dry-run`). Only the first two count as delivered.
 */
import { type AppContext, ServiceUnavailableError } from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError, type SmtpSettings } from '@broker-monitor/config';
import {
  createMailTransport,
  formatMailForDryRun,
  MailAuthError,
  MailConfigError,
  MailError,
  type MailMessage,
  type MailTransport,
  sendMail,
  writeEml,
} from '@broker-monitor/mailer';

export interface DeliveryResult {
  /** true: the server accepted the mail or it was written to the outbox; the tracking may be updated. */
  delivered: boolean;
  /** Where it went, for the log: the server's reply or the .eml path. */
  detail?: string;
  /** Recipients the server refused while accepting the mail for the others. */
  rejected?: string[];
}

export interface MailDelivery {
  readonly mode: 'send' | 'outbox' | 'dry-run';
  /** `name` is a file-name-safe label such as `12_OFFLINE_20250310T060000Z`. */
  deliver(mail: MailMessage, name: string): Promise<DeliveryResult>;
  /** A mail held back (a silence): printed in a dry run, only logged otherwise. */
  note(text: string): void;
  close(): void;
}

/** The delivery of a run's mode: printed (`--dry-run`), written (`--outbox`) or sent. */
export async function openDelivery(
  config: AppConfig<'email-service'>,
  mode: MailDelivery['mode'],
  context: AppContext,
): Promise<MailDelivery> {
  if (mode === 'dry-run') return dryRunDelivery(context.print);
  if (mode === 'outbox') return outboxDelivery(String(context.flags.outbox));
  return smtpDelivery(config.smtp, config.file, config.requestsCaBundle);
}

/**
 * Connects to the SMTP server and logs in once before anything is sent, so a wrong address or
 * password stops the run (exit 3) instead of failing every node.
 */
export async function smtpDelivery(smtp: SmtpSettings, configFile: string, caBundlePath?: string) {
  const transport = openTransport(smtp, configFile, caBundlePath);
  try {
    await transport.verify();
  } catch (error) {
    transport.close();
    throw smtpUnavailable(error);
  }
  return transportDelivery(transport);
}

/** The transport for SMTP.*; a malformed SMTP.SERVER or CA bundle is a configuration error. */
export function openTransport(smtp: SmtpSettings, configFile: string, caBundlePath?: string): MailTransport {
  try {
    return createMailTransport({
      server: smtp.server,
      username: smtp.username,
      password: smtp.password,
      startTls: smtp.startTls,
      tlsVerify: smtp.tlsVerify,
      ...(caBundlePath === undefined ? {} : { caBundlePath }),
    });
  } catch (error) {
    if (!(error instanceof MailConfigError)) throw error;
    const path =
      caBundlePath !== undefined && /CA bundle/.test(error.message) ? 'REQUESTS_CA_BUNDLE' : 'SMTP.SERVER';
    throw new ConfigError(configFile, [{ path, message: error.message }]);
  }
}

/** What a failed login or connection at the start of a run means: nothing can be done (exit 3). */
export function smtpUnavailable(error: unknown): unknown {
  if (error instanceof MailAuthError) {
    return new ServiceUnavailableError(error.message, 'SMTP.USERNAME / SMTP.PASSWORD', { cause: error });
  }
  if (error instanceof MailError) {
    return new ServiceUnavailableError(error.message, 'SMTP.SERVER', { cause: error });
  }
  return error;
}

function transportDelivery(transport: MailTransport): MailDelivery {
  return {
    mode: 'send',
    async deliver(mail) {
      const result = await sendMail(transport, mail);
      return { delivered: true, detail: result.response, rejected: result.rejected };
    },
    note() {},
    close: () => transport.close(),
  };
}

export function outboxDelivery(dir: string): MailDelivery {
  return {
    mode: 'outbox',
    async deliver(mail, name) {
      return { delivered: true, detail: await writeEml(mail, dir, { fileName: `${name}.eml` }) };
    },
    note() {},
    close() {},
  };
}

export function dryRunDelivery(print: (text: string) => void): MailDelivery {
  return {
    mode: 'dry-run',
    async deliver(mail, name) {
      print(`=== ${name} (dry run: not sent)\n${formatMailForDryRun(mail)}`);
      return { delivered: false };
    },
    note: (text) => print(`=== ${text}`),
    close() {},
  };
}
