import { type AppContext, ExitCode } from '@broker-monitor/app-runtime';
import type { AppConfig, NodeMapping } from '@broker-monitor/config';
import { CONTACTS_PAGE_TITLE, parseContactsPage, readContactsFile } from '@broker-monitor/contacts';
import { openStore } from '@broker-monitor/csv-store';
import type { ConfluenceTarget } from './confluence-pages.js';
import { requireWorkingDir } from './report-run.js';

/**
 * `--check`: reads the config, the mapping, the working directory and the contacts, and asks
 * Confluence (when one is configured, i.e. there is no `outDir`) for the parent page; changes
 * nothing and prints what it found. Exit 0 when all is usable, 1 when some mapping entries or the contacts are not, 3 when
 * Confluence is unreachable or refuses the credentials (thrown as ServiceUnavailableError).
 */
export async function runCheck(
  context: AppContext,
  config: AppConfig<'csv-to-confluence'>,
  mapping: NodeMapping,
  outDir: string | undefined,
): Promise<ExitCode> {
  // Loaded only when Confluence is configured, as for a run; a setting it cannot use stops here (exit 2).
  const confluence =
    outDir === undefined ? await import('@broker-monitor/app-runtime/confluence') : undefined;
  const target = confluence?.openConfluence(config);
  try {
    return await checkAll(context, config, mapping, outDir, target);
  } finally {
    await target?.client.close();
  }
}

async function checkAll(
  context: AppContext,
  config: AppConfig<'csv-to-confluence'>,
  mapping: NodeMapping,
  outDir: string | undefined,
  target: ConfluenceTarget | undefined,
): Promise<ExitCode> {
  const print = context.print;
  let problems = 0;
  print(`config ${config.file}: ok`);
  print(`mapping ${mapping.file}: ${mapping.nodes.length} nodes usable, ${mapping.problems.length} not`);
  for (const problem of mapping.problems) print(`  - ${problem.message}`);
  problems += mapping.problems.length;
  for (const warning of mapping.warnings) print(`  (warning) ${warning}`);

  await requireWorkingDir(config.file, config.dir.working);
  const folders = new Set(await openStore(config.dir.working).listNodes());
  const missing = mapping.nodes.filter((node) => !folders.has(node.id)).length;
  print(
    `DIR.WORKING ${config.dir.working}: ${folders.size} node folders; ${missing} mapped nodes have none yet`,
  );

  if (config.dir.contacts !== undefined) {
    try {
      print(
        `DIR.CONTACTS ${config.dir.contacts}: ${(await readContactsFile(config.dir.contacts)).length} contacts`,
      );
    } catch (error) {
      problems++;
      print(`DIR.CONTACTS ${config.dir.contacts}: not usable: ${(error as Error).message}`);
    }
  }

  if (target === undefined) {
    print(`no Confluence is used: the local report goes to ${outDir}`);
    if (config.dir.contacts === undefined) print('  (warning) no DIR.CONTACTS: the report shows no contacts');
  } else {
    const { atStart, PARENT_PAGE_TITLE, ROOT_PAGE_TITLE } = await import('./confluence-pages.js');
    const { client, space } = target;
    const parent = await atStart(target, () => client.findPage(space, PARENT_PAGE_TITLE));
    if (parent !== undefined) {
      print(
        `CONFLUENCE.URL ${client.siteUrl}: token accepted; page "${PARENT_PAGE_TITLE}" found in space ${space}`,
      );
    } else {
      const root = await atStart(target, () => client.findPage(space, ROOT_PAGE_TITLE));
      if (root === undefined) {
        print(`CONFLUENCE.SPACE ${space}: neither "${PARENT_PAGE_TITLE}" nor "${ROOT_PAGE_TITLE}" exists`);
        return ExitCode.unavailable;
      }
      print(
        `CONFLUENCE.URL ${client.siteUrl}: token accepted; "${PARENT_PAGE_TITLE}" will be created under "${ROOT_PAGE_TITLE}" in space ${space}`,
      );
    }
    if (config.dir.contacts === undefined) {
      try {
        const page = await client.findPage(space, CONTACTS_PAGE_TITLE);
        if (page === undefined)
          print(`  (warning) no page "${CONTACTS_PAGE_TITLE}": node pages will show no contacts`);
        else print(`page "${CONTACTS_PAGE_TITLE}": ${parseContactsPage(page.body).length} contacts`);
      } catch (error) {
        problems++;
        print(`page "${CONTACTS_PAGE_TITLE}": not usable: ${(error as Error).message}`);
      }
    }
  }
  print(problems === 0 ? 'check passed' : `check found ${problems} problem(s)`);
  return problems === 0 ? ExitCode.ok : ExitCode.partial;
}
