import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';

/** A client's own connection pool, made when first asked for; `close` ends it if it was made. */
export interface ConnectionPool {
  /** The pool as a dispatcher, e.g. for fetch's `dispatcher` option. */
  get(): Promise<Dispatcher>;
  /** undici's `request` on the pool: one request, its body as a stream. */
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

interface LoadedPool {
  agent: Dispatcher;
  request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
}

/**
 * An undici Agent that trusts the PEM file at `caBundlePath` (REQUESTS_CA_BUNDLE) in addition to
 * Node's root certificates; without a path, an Agent with Node's defaults. The file is read now, so
 * an unreadable bundle fails here with its fs error. undici (Node's fetch has no way to add CAs)
 * is loaded only by the first request, and only its Agent and `request`: the package's index
 * also loads fetch, cookies, mocks and caches, which cost the collector some 80 ms of CPU per run.
 * Those two files are undici's own layout, so package.json pins its exact version.
 */
export function createConnectionPool(caBundlePath: string | undefined): ConnectionPool {
  const pem = caBundlePath === undefined ? undefined : readFileSync(caBundlePath, 'utf8');
  let loaded: Promise<LoadedPool> | undefined;
  const load = (): Promise<LoadedPool> => {
    loaded ??= Promise.all([
      import('undici/lib/dispatcher/agent.js'),
      import('undici/lib/api/api-request.js'),
    ]).then(([{ default: Agent }, { default: request }]) => ({
      agent: new Agent(pem === undefined ? {} : { connect: { ca: [...rootCertificates, pem] } }),
      request,
    }));
    return loaded;
  };
  return {
    get: async () => (await load()).agent,
    request: async (options) => {
      const { agent, request } = await load();
      return request.call(agent, options);
    },
    close: async () => {
      await (await loaded)?.agent.close();
    },
  };
}
