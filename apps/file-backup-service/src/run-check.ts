import { type AppContext, ExitCode } from '@broker-monitor/app-runtime';
import { type ConfluenceConnection, PARENT_PAGE_TITLE } from '@broker-monitor/app-runtime/confluence';
import type { AppConfig, NodeMapping } from '@broker-monitor/config';
import { openStore } from '@broker-monitor/csv-store';
import { scanNodeFolders } from './node-files.js';
import { findPagesOrStop, type NodePages } from './node-pages.js';

export interface CheckRun {
  context: AppContext;
  config: AppConfig<'file-backup-service'>;
  mapping: NodeMapping;
  confluence: ConfluenceConnection;
}

/**
 * `--check`: validates config and mapping, reads the node folders, reaches Confluence with the
 * token and looks the pages up, and prints what it found. Reads only; nothing is uploaded.
 * Exit 0 when a run would back up every node it can, 1 when some nodes would fail, 3 when
 * Confluence is unreachable, refuses the token or the space has none of the pages.
 */
export async function runCheck(run: CheckRun): Promise<ExitCode> {
  const { context, config, mapping, confluence } = run;
  const { print } = context;
  let failures = mapping.problems.length;
  print(`config ${config.file}: ok`);
  print(`mapping ${mapping.file}: ${mapping.nodes.length} nodes`);
  for (const problem of mapping.problems) print(`  problem: ${problem.message}`);

  const folders = await scanNodeFolders(openStore(config.dir.working), mapping.nodes);
  // Every mapped node's page is looked up, so the check also shows pages missing for nodes without a folder.
  const titles = [...new Set(mapping.nodes.map((node) => node.commonName))];
  let pages: NodePages;
  try {
    pages = await findPagesOrStop(confluence, titles);
  } catch (error) {
    print(`Confluence ${confluence.client.siteUrl}: ${(error as Error).message}`);
    throw error;
  }
  const flavour = confluence.cloud ? 'Cloud' : 'Data Center';
  print(
    `Confluence ${confluence.client.siteUrl}: reachable, token accepted (${flavour}, space ${confluence.space})`,
  );
  print(
    pages.parent === undefined
      ? `  warning: no page "${PARENT_PAGE_TITLE}": every node page is looked up by its title`
      : `  page "${PARENT_PAGE_TITLE}": id ${pages.parent.id}`,
  );
  let ready = 0;
  for (const entry of folders) {
    const { node } = entry;
    const title = node.commonName;
    const error = pages.lookupErrors.get(title);
    if (error !== undefined) {
      failures++;
      print(`  problem: node ${node.id}: looking up page "${title}" failed: ${(error as Error).message}`);
    } else if (!pages.found.has(title)) {
      print(`  warning: node ${node.id}: no page "${title}" in space ${confluence.space}`);
    }
    for (const skipped of entry.state === 'files' ? entry.skipped : []) {
      print(`  warning: node ${node.id}: skipped ${skipped.path}: ${skipped.reason}`);
    }
    if (entry.state === 'missing') print(`  warning: node ${node.id}: no folder ${entry.folder}`);
    else if (entry.state === 'unreadable') {
      failures++;
      print(`  problem: node ${node.id}: cannot read ${entry.folder}: ${(entry.error as Error).message}`);
    } else if (pages.found.has(title)) ready++;
  }
  print(
    `${ready} of ${mapping.nodes.length + mapping.problems.length} nodes ready to back up, ` +
      `${failures} problems; nothing was changed`,
  );
  return failures > 0 ? ExitCode.partial : ExitCode.ok;
}
