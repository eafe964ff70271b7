import type { MappedNode } from '@broker-monitor/config';
import type { BackupFile, Store } from '@broker-monitor/csv-store';

/** What a mapped node's folder holds: its files to back up, no folder, or an error reading it. */
export type NodeFolder = { node: MappedNode; folder: string } & (
  | { state: 'files'; files: BackupFile[] }
  | { state: 'missing' }
  | { state: 'unreadable'; error: unknown }
);

/** Reads the folder of every mapped node (folder name = node id), in mapping order. */
export function scanNodeFolders(store: Store, nodes: readonly MappedNode[]): Promise<NodeFolder[]> {
  return Promise.all(
    nodes.map(async (node): Promise<NodeFolder> => {
      const folder = store.nodeFolder(node.id);
      try {
        const files = await store.listBackupFiles(node.id);
        return files === undefined
          ? { node, folder, state: 'missing' }
          : { node, folder, state: 'files', files };
      } catch (error) {
        return { node, folder, state: 'unreadable', error };
      }
    }),
  );
}
