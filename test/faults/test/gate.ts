import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

/**
 * A transparent TCP proxy on loopback with a switch: while held, every byte a client sends is
 * kept back (the server never sees the request), so a run can be stopped deterministically right
 * after it took the working-directory lock — no sleeps, no timing.
 */
export interface TcpGate {
  readonly port: number;
  hold(): void;
  /** Forwards everything kept back, in order, and lets traffic flow again. */
  release(): void;
  /** Resolves once some client bytes are being kept back. */
  untilHeld(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpGate(targetPort: number): Promise<TcpGate> {
  let holding = false;
  let kept: Array<{ upstream: Socket; chunk: Buffer }> = [];
  let waiters: Array<() => void> = [];
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (!holding) {
        upstream.write(chunk);
        return;
      }
      kept.push({ upstream, chunk });
      for (const wake of waiters) wake();
      waiters = [];
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const { upstream, chunk } of kept) if (!upstream.destroyed) upstream.write(chunk);
      kept = [];
    },
    untilHeld() {
      if (kept.length > 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
