import type { MappedNode } from '@broker-monitor/config';
import type { BackupFile, SkippedEntry, Store } from '@broker-monitor/csv-store';

/**
 * What a mapped node's folder holds: its files to back up (and the links left out because they
 * lead outside the working directory), no folder, or an error reading it.
 */
export type NodeFolder = { node: MappedNode; folder: string } & (
  | { state: 'files'; files: BackupFile[]; skipped: SkippedEntry[] }
  | { state: 'missing' }
  | { state: 'unreadable'; error: unknown }
);

/** Reads the folder of every mapped node (folder name = node id), in mapping order. */
export function scanNodeFolders(store: Store, nodes: readonly MappedNode[]): Promise<NodeFolder[]> {
  return Promise.all(
    nodes.map(async (node): Promise<NodeFolder> => {
      const folder = store.nodeFolder(node.id);
      try {
        const listing = await store.listBackupFiles(node.id);
        return listing === undefined
          ? { node, folder, state: 'missing' }
          : { node, folder, state: 'files', ...listing };
      } catch (error) {
        return { node, folder, state: 'unreadable', error };
      }
    }),
  );
}
