export { ALERT_SUBJECTS, type AlertMail, type ComposeAlertOptions, composeAlertMail } from './compose.js';
export {
  type ComposeDigestOptions,
  composeDigestMail,
  type DigestMail,
  type DigestValues,
  digestSubject,
} from './digest.js';
export { formatMailForDryRun } from './dry-run.js';
export { type WriteEmlOptions, writeEml } from './eml.js';
export {
  MailAuthError,
  MailComposeError,
  MailConfigError,
  MailConnectionError,
  MailError,
  MailRejectedError,
  MailTlsError,
  type SmtpReply,
} from './errors.js';
export type { MailMessage } from './message.js';
export { normalizeAddresses } from './recipients.js';
export {
  ALERT_KINDS,
  type AlertKind,
  type AlertValues,
  loadMailTemplates,
  type MailTemplates,
  PYTHON_TEMPLATE_FILES,
} from './templates.js';
export {
  createMailTransport,
  type MailDelivery,
  type MailTransport,
  type MailTransportOptions,
  sendMail,
} from './transport.js';
