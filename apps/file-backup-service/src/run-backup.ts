import type { AppContext, ExitCode } from '@broker-monitor/app-runtime';
import { type ConfluenceConnection, PARENT_PAGE_TITLE } from '@broker-monitor/app-runtime/confluence';
import type { NodeMapping } from '@broker-monitor/config';
import { type BackupFile, openStore } from '@broker-monitor/csv-store';
import { createLimiter } from '@broker-monitor/http-transport';
import { gauge, type MetricFamily } from '@broker-monitor/metrics';
import { backupNode } from './backup-node.js';
import { type NodeFolder, scanNodeFolders } from './node-files.js';
import { findPagesOrStop } from './node-pages.js';

export interface BackupRun {
  context: AppContext;
  workingDir: string;
  mapping: NodeMapping;
  confluence: ConfluenceConnection;
  concurrency: number;
  now: () => Date;
}

/** Backs up every mapped node's files; one log line per node, then the summary. */
export async function runBackup(run: BackupRun): Promise<ExitCode> {
  const { context, mapping, confluence } = run;
  const { logger } = context;
  const outcomes = context.runOutcomes('node', () => run.now().getTime());
  for (const problem of mapping.problems) outcomes.failed(problem.nodeId, problem.message);

  const store = openStore(run.workingDir);
  const folders = await scanNodeFolders(store, mapping.nodes);
  const todo: Extract<NodeFolder, { state: 'files' }>[] = [];
  for (const entry of folders) {
    const fields = { page: entry.node.commonName, folder: entry.folder };
    for (const skipped of entry.state === 'files' ? entry.skipped : []) {
      logger.warn(
        { node: entry.node.id, file: skipped.path, reason: skipped.reason },
        `node ${entry.node.id}: skipped ${skipped.path}: ${skipped.reason}`,
      );
    }
    if (entry.state === 'missing') outcomes.warning(entry.node.id, `no folder ${entry.folder}`, fields);
    else if (entry.state === 'unreadable') outcomes.failed(entry.node.id, entry.error, fields);
    else if (entry.files.length === 0)
      outcomes.ok(entry.node.id, { ...fields, uploaded: 0, unchanged: 0, failed: 0 });
    else todo.push(entry);
  }
  const totals = { filesUploaded: 0, filesUnchanged: 0, filesFailed: 0 };
  if (todo.length === 0) {
    context.metrics.add(fileFamily(totals));
    return outcomes.finish(totals);
  }

  const pages = await findPagesOrStop(confluence, [...new Set(todo.map((entry) => entry.node.commonName))]);
  if (pages.parent === undefined) {
    logger.warn(
      { parentPage: PARENT_PAGE_TITLE, space: confluence.space },
      `no page "${PARENT_PAGE_TITLE}" in space ${confluence.space}: each node page looked up by its title`,
    );
  }

  const bar = context.progress('backup', todo.length);
  const limit = createLimiter(run.concurrency);
  await Promise.all(
    todo.map(async ({ node, folder, files }) => {
      const read = (file: BackupFile) => store.readBackupFile(node.id, file);
      const title = node.commonName;
      const fields = { page: title, folder };
      const pageId = pages.found.get(title);
      if (pages.lookupErrors.has(title)) {
        outcomes.failed(node.id, pages.lookupErrors.get(title), fields);
      } else if (pageId === undefined) {
        outcomes.warning(node.id, `no page "${title}" in space ${confluence.space}`, fields);
      } else {
        try {
          const result = await backupNode({ client: confluence.client, pageId, files, read, limit });
          totals.filesUploaded += result.uploaded.length;
          totals.filesUnchanged += result.unchanged.length;
          totals.filesFailed += result.failed.length;
          for (const { file, error } of result.failed) {
            logger.error(
              { node: node.id, file, reason: error instanceof Error ? error.message : String(error) },
              `node ${node.id}: file ${file} not backed up`,
            );
          }
          const counts = {
            ...fields,
            pageId,
            uploaded: result.uploaded.length,
            unchanged: result.unchanged.length,
            failed: result.failed.length,
          };
          if (result.failed.length === 0) outcomes.ok(node.id, counts);
          else {
            const names = result.failed.map((f) => f.file);
            outcomes.failed(
              node.id,
              `${names.length} of ${files.length} files not backed up: ${names.join(', ')}`,
              { ...counts, failedFiles: names },
            );
          }
        } catch (error) {
          outcomes.failed(node.id, error, { ...fields, pageId });
        }
      }
      bar.tick();
    }),
  );
  context.metrics.add(fileFamily(totals));
  return outcomes.finish(totals);
}

function fileFamily(totals: {
  filesUploaded: number;
  filesUnchanged: number;
  filesFailed: number;
}): MetricFamily {
  return gauge('broker_monitor_backup_files', "The nodes' files in the last backup run, per outcome.", [
    { labels: { outcome: 'uploaded' }, value: totals.filesUploaded },
    { labels: { outcome: 'unchanged' }, value: totals.filesUnchanged },
    { labels: { outcome: 'failed' }, value: totals.filesFailed },
  ]);
}
