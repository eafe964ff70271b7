import { type AppDefinition, type AppOptions, packageVersion } from '@broker-monitor/app-runtime';
import { openConfluence } from '@broker-monitor/app-runtime/confluence';
import { loadConfig, loadNodeMapping } from '@broker-monitor/config';
import { runBackup } from './run-backup.js';
import { runCheck } from './run-check.js';

export function createApp(options: AppOptions = {}): AppDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: 'file-backup-service',
    version: packageVersion(import.meta.url),
    summary: "uploads every node's files as attachments of its Confluence page",
    flags: {
      check: {
        type: 'boolean',
        description: 'check config, mapping, folders, Confluence token, space and pages; upload nothing',
        changesNothing: true,
      },
    },
    now,
    async main(context) {
      const { configPath, logger, flags } = context;
      const config = await loadConfig(configPath, 'file-backup-service');
      for (const warning of config.warnings) logger.warn(warning);
      const mapping = await loadNodeMapping(config.confluence.mappingJson);
      for (const warning of mapping.warnings) logger.warn(warning);
      const confluence = openConfluence(config, { retryDelayMs: options.retryDelayMs });
      try {
        if (flags.check === true) return await runCheck({ context, config, mapping, confluence });
        return await runBackup({
          context,
          workingDir: config.dir.working,
          mapping,
          confluence,
          concurrency: config.confluence.concurrency,
          now,
        });
      } finally {
        await confluence.client.close();
      }
    },
  };
}
