import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import {
  type CollectedResponse,
  type CollectOptions,
  createResponseCollector,
  type ResponseCollector,
} from './collect-response.js';

/** A client's own connection pool, made when first asked for; `close` ends it if it was made. */
export interface ConnectionPool {
  /** The pool as a dispatcher, e.g. for fetch's `dispatcher` option. */
  get(): Promise<Dispatcher>;
  /** One request, its whole answer in memory, on the pool's own keep-alive sockets (not undici's). */
  collect(options: CollectOptions): Promise<CollectedResponse>;
  close(): Promise<void>;
}

/**
 * An undici Agent that trusts the PEM file at `caBundlePath` (REQUESTS_CA_BUNDLE) in addition to
 * Node's root certificates; without a path, an Agent with Node's defaults. The file is read now, so
 * an unreadable bundle fails here with its fs error. undici (Node's fetch has no way to add CAs)
 * is loaded only by the first request, and only its Agent: the package's index also loads fetch,
 * cookies, mocks and caches, which cost the collector some 80 ms of CPU per run. That file is
 * undici's own layout, so package.json pins its exact version.
 */
export function createConnectionPool(caBundlePath: string | undefined): ConnectionPool {
  const pem = caBundlePath === undefined ? undefined : readFileSync(caBundlePath, 'utf8');
  let loaded: Promise<Dispatcher> | undefined;
  let collector: ResponseCollector | undefined;
  const load = (): Promise<Dispatcher> => {
    loaded ??= Promise.all([import('undici/lib/dispatcher/agent.js'), import('node:tls')]).then(
      ([{ default: Agent }, { rootCertificates }]) =>
        new Agent(pem === undefined ? {} : { connect: { ca: [...rootCertificates, pem] } }),
    );
    return loaded;
  };
  return {
    get: load,
    collect: (options) => {
      collector ??= createResponseCollector(pem);
      return collector.collect(options);
    },
    close: async () => {
      collector?.close();
      await (await loaded)?.close();
    },
  };
}
