import { type AppContext, createRunOutcomes, type ExitCode } from '@broker-monitor/app-runtime';
import { openConfluence } from '@broker-monitor/app-runtime/confluence';
import type { AppConfig, NodeMapping } from '@broker-monitor/config';
import { runCheck } from './check.js';
import { loadContacts } from './contacts-source.js';
import { atStart, findOrCreateParent, listNodePages, publishToConfluence } from './publish.js';
import { finishRun, planNodes, reportRun } from './run-context.js';

/** A run against Confluence (CONFLUENCE.URL set, no `--out`), or its `--check`. */
export async function publishRun(
  context: AppContext,
  config: AppConfig<'csv-to-confluence'>,
  mapping: NodeMapping,
  now: Date,
): Promise<ExitCode> {
  const target = openConfluence(config);
  try {
    if (context.flags.check) return await runCheck(context, config, mapping, { target });
    const outcomes = createRunOutcomes(context.logger);
    const plan = await planNodes(config.file, config.dir.working, mapping, outcomes, context.logger);
    const parent = await atStart(target, () => findOrCreateParent(target, context.logger));
    const [listed, contacts] = await Promise.all([
      atStart(target, () => listNodePages(target, parent)),
      loadContacts({ contactsFile: config.dir.contacts, confluence: target }, context.logger),
    ]);
    const run = reportRun(context, config, now, plan, contacts.contacts, outcomes);
    const failedSteps = await publishToConfluence(run, target, parent, listed);
    return finishRun(outcomes, contacts.failure ? [...failedSteps, 'contacts'] : failedSteps);
  } finally {
    await target.client.close();
  }
}
