import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type AppContext,
  type AppDefinition,
  type AppOptions,
  packageVersion,
} from '@broker-monitor/app-runtime';
import { type AppConfig, loadConfig, loadNodeMapping } from '@broker-monitor/config';
import { runCheck } from './check.js';
import { writeLocalReport } from './local-report.js';

/** Folder of the local report inside DIR.WORKING when `--out` is not given. */
export const DEFAULT_REPORT_FOLDER = 'report';

export function createApp(options: AppOptions = {}): AppDefinition {
  const clock = options.now ?? (() => new Date());
  return {
    name: 'csv-to-confluence',
    version: packageVersion(import.meta.url),
    summary: 'renders the node pages and the summary to Confluence or a local HTML report',
    flags: {
      out: {
        type: 'string',
        description: 'write the local HTML report into this folder instead of publishing to Confluence',
      },
      check: {
        type: 'boolean',
        description: 'check config, mapping and the Confluence connection; change nothing',
        changesNothing: true,
      },
    },
    now: clock,
    async main(context) {
      const now = clock();
      const config = await loadConfig(context.configPath, 'csv-to-confluence');
      for (const warning of config.warnings) context.logger.warn(warning);
      const mapping = await loadNodeMapping(config.confluence.mappingJson);
      const out = context.flags.out;
      await noteIgnoredPageTemplate(config, context);

      const outDir =
        typeof out === 'string' || config.confluence.url === undefined
          ? resolve(typeof out === 'string' ? out : join(config.dir.working, DEFAULT_REPORT_FOLDER))
          : undefined;
      if (context.flags.check) return runCheck(context, config, mapping, outDir);
      if (outDir !== undefined) return writeLocalReport(context, config, mapping, now, outDir);
      // Loaded only for Confluence: the client and its HTTP stack are not needed for the local report.
      const { publishRun } = await import('./publish.js');
      return publishRun(context, config, mapping, now);
    },
  };
}

/** SPEC §6: a Python-era DIR.RESOURCES may hold template_page.html; our template is shipped instead. */
async function noteIgnoredPageTemplate(config: AppConfig<'csv-to-confluence'>, context: AppContext) {
  if (config.dir.resources === undefined) return;
  const file = join(config.dir.resources, 'template_page.html');
  if (
    await access(file).then(
      () => true,
      () => false,
    )
  ) {
    context.logger.info(`${file} is not used: the page template ships with broker-monitor`);
  }
}
