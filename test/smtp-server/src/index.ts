export { type ParsedTestMail, parseRawMail } from './parse-mail.js';
export {
  type DropPoint,
  type ReceivedMail,
  type SmtpTestMode,
  type SmtpTestServer,
  type SmtpTestServerOptions,
  startSmtpTestServer,
} from './smtp-test-server.js';
