import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';

/** A client's own connection pool, made when first asked for; `close` ends it if it was made. */
export interface ConnectionPool {
  get(): Promise<Dispatcher>;
  close(): Promise<void>;
}

/**
 * An undici Agent that trusts the PEM file at `caBundlePath` (REQUESTS_CA_BUNDLE) in addition to
 * Node's root certificates; without a path, an Agent with Node's defaults. The file is read now, so
 * an unreadable bundle fails here with its fs error. The undici package (Node's fetch has no way to
 * add CAs) costs some 10 MB of memory, so it is loaded only by the first `get`.
 */
export function createConnectionPool(caBundlePath: string | undefined): ConnectionPool {
  const pem = caBundlePath === undefined ? undefined : readFileSync(caBundlePath, 'utf8');
  let agent: Promise<Dispatcher> | undefined;
  return {
    get: () => {
      agent ??= import('undici').then(
        ({ Agent }) => new Agent(pem === undefined ? {} : { connect: { ca: [...rootCertificates, pem] } }),
      );
      return agent;
    },
    close: async () => {
      await (await agent)?.close();
    },
  };
}
