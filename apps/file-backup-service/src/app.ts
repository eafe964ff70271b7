import { createRequire } from 'node:module';
import { type AppDefinition, ExitCode } from '@broker-monitor/app-runtime';
import { loadConfig } from '@broker-monitor/config';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export const app: AppDefinition = {
  name: 'file-backup-service',
  version,
  summary: "uploads every node's files as attachments of its Confluence page",
  async main({ configPath, logger }) {
    const config = await loadConfig(configPath, 'file-backup-service');
    for (const warning of config.warnings) logger.warn(warning);
    return ExitCode.ok;
  },
};
