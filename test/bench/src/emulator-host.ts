import { Worker } from 'node:worker_threads';

/** What the worker starts: the broker with seeded nodes, or Confluence with `Support` and the contacts page. */
export type EmulatorSetup =
  | { kind: 'broker'; nodes: number; latencyMs: number; nowMs: number }
  | { kind: 'confluence'; flavour: 'datacenter' | 'cloud'; contacts: number; delayMs: number };

/** One answered request of the emulator's log. */
export interface RequestRecord {
  method: string;
  path: string;
  /** 0 when the connection was dropped without an answer. */
  status: number;
}

export interface EmulatorRequest {
  id: number;
  op: 'clearRequests' | 'requests' | 'close';
}

export type WorkerMessage =
  | { ready: true; url: string }
  | { id: number; value?: RequestRecord[] | undefined }
  | { id: number; error: string };

/** An emulator running in its own worker thread. */
export interface EmulatorHost {
  url: string;
  clearRequests(): Promise<void>;
  /** The requests answered since the start or the last `clearRequests`. */
  requests(): Promise<RequestRecord[]>;
  close(): Promise<void>;
}

export async function startEmulatorHost(setup: EmulatorSetup): Promise<EmulatorHost> {
  const worker = new Worker(new URL('./emulator-worker.js', import.meta.url), { workerData: setup });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: WorkerMessage) => {
      if ('ready' in message) {
        worker.off('error', reject);
        resolve(message.url);
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if ('error' in message) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.value);
    });
  });
  worker.on('error', (error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  const ask = (op: EmulatorRequest['op']): Promise<unknown> =>
    new Promise((resolve, reject) => {
      nextId += 1;
      pending.set(nextId, { resolve, reject });
      worker.postMessage({ id: nextId, op } satisfies EmulatorRequest);
    });
  return {
    url,
    clearRequests: async () => {
      await ask('clearRequests');
    },
    requests: async () => (await ask('requests')) as RequestRecord[],
    close: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}
