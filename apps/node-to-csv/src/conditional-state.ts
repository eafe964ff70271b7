import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '@broker-monitor/app-runtime';
import type { ImportStatistics, ResourceEntries } from '@broker-monitor/broker-client';
import { writeFileAtomic } from '@broker-monitor/csv-store';

/** The last answer of one node resource, kept to reuse when the broker answers 304. */
export interface CachedResource<T> {
  lastModified: string;
  value: T;
}

/** What the collector remembers of a node between runs (not in the node folder: the backup uploads that). */
export interface NodeConditionalState {
  stats?: CachedResource<ImportStatistics>;
  resources: Partial<Record<string, CachedResource<ResourceEntries>>>;
}

function stateFile(workingDir: string, nodeId: string): string {
  return join(stateDir(workingDir), 'conditional', `${nodeId}.json`);
}

/** A missing or unreadable state only costs full requests, never data: start empty then. */
export async function readNodeState(workingDir: string, nodeId: string): Promise<NodeConditionalState> {
  try {
    const state = JSON.parse(await readFile(stateFile(workingDir, nodeId), 'utf8')) as NodeConditionalState;
    return { ...state, resources: state.resources ?? {} };
  } catch {
    return { resources: {} };
  }
}

export async function writeNodeState(
  workingDir: string,
  nodeId: string,
  state: NodeConditionalState,
): Promise<void> {
  const file = stateFile(workingDir, nodeId);
  await mkdir(join(stateDir(workingDir), 'conditional'), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(state));
}
