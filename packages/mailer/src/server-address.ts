import { MailConfigError } from './errors.js';

export interface ServerAddress {
  host: string;
  port: number;
}

/** Parses SMTP.SERVER: `host`, `host:port`, `[v6]` or `[v6]:port`; `defaultPort` when no port is given. */
export function parseServerAddress(server: string, defaultPort: number): ServerAddress {
  const text = server.trim();
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:\s]+)(?::(\d+))?$/.exec(text);
  const host = match?.[1];
  if (host === undefined) {
    throw new MailConfigError(`SMTP server "${server}" is not of the form host or host:port`);
  }
  const portText = match?.[2];
  if (portText === undefined) return { host, port: defaultPort };
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MailConfigError(`SMTP server "${server}" has an invalid port`);
  }
  return { host, port };
}
