import type {
  BrokerClient,
  BrokerNode,
  Fetched,
  ImportStatistics,
  NodeResourceName,
} from '@broker-monitor/broker-client';
import {
  type CachedAnswer,
  type CollectorState,
  type NodeWriteResult,
  RESOURCE_NAMES,
  type ResourceEntries,
  type Store,
} from '@broker-monitor/csv-store';

/** What the collector keeps of a node: the broker's last answers (in the store's own state, not its folder). */
type NodeState = CollectorState<ImportStatistics, ResourceEntries>;

export interface CollectNodeOptions {
  store: Store;
  now: () => Date;
  /** Aborts every request of the node (SPEC §6: a node gives up after 60 s in all). */
  signal: AbortSignal;
}

export interface CollectedNode {
  /** False when the broker has no stats for the node (404): never uploaded, a state and no failure. */
  statsFound: boolean;
  /** Answers the broker gave: 304s are cheap, they send no body. */
  answers: { fresh: number; notModified: number; notFound: number };
  written: NodeWriteResult;
}

/**
 * Fetches a node's import statistics and four resources (conditionally, reusing what an earlier
 * run kept when the broker answers 304) and writes them to the store. Throws when any request
 * fails; the node's files are then untouched.
 */
export async function collectNode(
  broker: BrokerClient,
  node: BrokerNode,
  options: CollectNodeOptions,
): Promise<CollectedNode> {
  const { store, signal } = options;
  const state: NodeState = await store.readCollectorState(node.id);
  const answers = { fresh: 0, notModified: 0, notFound: 0 };
  const count = <T>(fetched: Fetched<T>) => {
    answers[
      fetched.kind === 'fresh' ? 'fresh' : fetched.kind === 'not-modified' ? 'notModified' : 'notFound'
    ]++;
    return fetched;
  };

  const [stats, ...resources] = await Promise.all([
    conditional(state.stats, (ifModifiedSince) =>
      broker
        .getImportStatistics(node.id, { signal, ...(ifModifiedSince ? { ifModifiedSince } : {}) })
        .then(count),
    ),
    ...RESOURCE_NAMES.map((name) =>
      conditional(state.resources[name], (ifModifiedSince) =>
        broker
          .getResource(node.id, name as NodeResourceName, {
            signal,
            ...(ifModifiedSince ? { ifModifiedSince } : {}),
          })
          .then(count),
      ),
    ),
  ]);

  const written = await store.writeCollection(
    {
      nodeId: node.id,
      lastContact: node.lastContact ?? null,
      stats: stats.value,
      resources: Object.fromEntries(
        RESOURCE_NAMES.map((name, i) => [name, resources[i]?.value ?? null]),
      ) as Record<(typeof RESOURCE_NAMES)[number], ResourceEntries | null>,
    },
    { now: options.now },
  );

  const next: NodeState = { resources: {} };
  if (stats.cache) next.stats = stats.cache;
  RESOURCE_NAMES.forEach((name, i) => {
    const cache = resources[i]?.cache;
    if (cache) next.resources[name] = cache;
  });
  // Saved after the store is written: a crash in between only costs full answers next time. When
  // every answer was a 304, each cached answer was kept as it was: the state has not changed.
  if (answers.fresh > 0 || answers.notFound > 0) await store.writeCollectorState(node.id, next);
  return { statsFound: stats.value !== null, answers, written };
}

interface ConditionalResult<T> {
  /** `null` when the broker has no such resource (404). */
  value: T | null;
  cache?: CachedAnswer<T>;
}

async function conditional<T>(
  cached: CachedAnswer<T> | undefined,
  fetch: (ifModifiedSince: string | undefined) => Promise<Fetched<T>>,
): Promise<ConditionalResult<T>> {
  const answer = await fetch(cached?.lastModified);
  switch (answer.kind) {
    case 'fresh':
      return {
        value: answer.value,
        ...(answer.lastModified ? { cache: { lastModified: answer.lastModified, value: answer.value } } : {}),
      };
    case 'not-found':
      return { value: null };
    case 'not-modified':
      if (cached) return { value: cached.value, cache: cached };
      throw new Error('the broker answered 304 Not Modified to a request without If-Modified-Since');
  }
}
