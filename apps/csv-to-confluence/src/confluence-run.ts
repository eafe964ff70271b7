import { type AppContext, createRunOutcomes, type ExitCode } from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError, type NodeMapping } from '@broker-monitor/config';
import { createConfluenceClient } from '@broker-monitor/confluence-client';
import { runCheck } from './check.js';
import { loadContacts } from './contacts-source.js';
import { atStart, type ConfluenceTarget, findOrCreateParent, publishToConfluence } from './publish.js';
import { finishRun, planNodes, reportRun } from './run-context.js';

/** A run against Confluence (CONFLUENCE.URL set, no `--out`), or its `--check`. */
export async function publishRun(
  context: AppContext,
  config: AppConfig<'csv-to-confluence'>,
  mapping: NodeMapping,
  now: Date,
): Promise<ExitCode> {
  const target = confluenceTarget(config);
  try {
    if (context.flags.check) return await runCheck(context, config, mapping, { target });
    const outcomes = createRunOutcomes(context.logger);
    const plan = await planNodes(config.file, config.dir.working, mapping, outcomes, context.logger);
    const parent = await atStart(target, () => findOrCreateParent(target, context.logger));
    const [listed, contacts] = await Promise.all([
      atStart(target, () => target.client.listChildPages(parent.id)),
      loadContacts(
        { file: config.dir.contacts, confluence: { client: target.client, space: target.space } },
        context.logger,
      ),
    ]);
    const run = reportRun(context, config, now, plan, contacts.contacts, outcomes);
    const failedSteps = await publishToConfluence(run, target, parent, listed);
    return finishRun(outcomes, contacts.failure ? [...failedSteps, 'contacts'] : failedSteps);
  } finally {
    await target.client.close();
  }
}

function confluenceTarget(config: AppConfig<'csv-to-confluence'>): ConfluenceTarget {
  const { url, token, space, email } = config.confluence;
  // loadConfig requires SPACE and TOKEN whenever URL is set.
  if (url === undefined || token === undefined || space === undefined) {
    throw new ConfigError(config.file, [{ path: 'CONFLUENCE', message: 'URL, SPACE and TOKEN are needed' }]);
  }
  try {
    const client = createConfluenceClient({
      url,
      token,
      email,
      spaceKey: space,
      timeoutMs: config.confluence.timeoutSeconds * 1000,
      concurrency: config.confluence.concurrency,
      caBundlePath: config.requestsCaBundle,
    });
    return { client, space, cloud: email !== undefined };
  } catch (error) {
    // The client rejects a URL that is not http(s) or carries credentials.
    throw new ConfigError(config.file, [{ path: 'CONFLUENCE.URL', message: (error as Error).message }]);
  }
}
