import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A test server listening on 127.0.0.1 at a free port, and the origin to reach it. */
export interface LoopbackServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>`, or `https://…` when served with TLS. */
  readonly origin: string;
}

/**
 * Serves `handler` over HTTP, or over HTTPS with the given key and certificate, on a free
 * loopback port (the emulators' start-up: a port in use by a parallel test is never a clash).
 */
export async function serveOnLoopback(
  handler: RequestListener,
  tls?: { readonly key: string; readonly cert: string },
): Promise<LoopbackServer> {
  const server: Server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}` };
}
