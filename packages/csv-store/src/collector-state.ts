/*
 * What the collector keeps of a node between runs: the last answer of each resource with its
 * Last-Modified, reused when the broker answers 304. In WORKING/.broker-monitor/conditional/, never
 * in the node folder (the backup uploads that).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFolderPath, removeStaleTemporaryFiles, stateDir, writeFileAtomicSync } from './files.js';

/** The last answer of one node resource, kept to reuse when the broker answers 304. */
export interface CachedAnswer<T> {
  lastModified: string;
  value: T;
}

/** What the collector remembers of a node: its stats and resources as the broker last sent them. */
export interface CollectorState<Stats, Entries> {
  stats?: CachedAnswer<Stats>;
  resources: Partial<Record<string, CachedAnswer<Entries>>>;
}

function stateFolder(workingDir: string): string {
  return join(stateDir(workingDir), 'conditional');
}

function stateFile(workingDir: string, nodeId: string): string {
  // Checked as a node id: it becomes a file name.
  nodeFolderPath(workingDir, nodeId);
  return join(stateFolder(workingDir), `${nodeId}.json`);
}

/** A missing or unreadable state only costs full requests, never data: start empty then. */
export async function readCollectorState<Stats, Entries>(
  workingDir: string,
  nodeId: string,
): Promise<CollectorState<Stats, Entries>> {
  try {
    // Synchronous, as the node's other files (see readTextFileSync).
    const state = JSON.parse(readFileSync(stateFile(workingDir, nodeId), 'utf8')) as CollectorState<
      Stats,
      Entries
    >;
    return { ...state, resources: state.resources ?? {} };
  } catch {
    return { resources: {} };
  }
}

/** Makes the folder of the collector's states, once per run before the first state is written. */
export function makeCollectorStateFolder(workingDir: string): void {
  mkdirSync(stateFolder(workingDir), { recursive: true });
}

export async function writeCollectorState<Stats, Entries>(
  workingDir: string,
  nodeId: string,
  state: CollectorState<Stats, Entries>,
): Promise<void> {
  writeFileAtomicSync(stateFile(workingDir, nodeId), JSON.stringify(state));
}

/** Temporary state files of a run killed mid-write; only their dead writer could have used them. */
export async function removeStaleCollectorTemporaries(workingDir: string): Promise<void> {
  await removeStaleTemporaryFiles(stateFolder(workingDir));
}
