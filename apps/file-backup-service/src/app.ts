import { createRequire } from 'node:module';
import { type AppDefinition, ExitCode } from '@broker-monitor/app-runtime';
import { loadConfig } from '@broker-monitor/config';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface AppOptions {
  /** The clock; the bin uses the system clock, tests and the demo pass their own. */
  now?: () => Date;
}

export function createApp(_options: AppOptions = {}): AppDefinition {
  return {
    name: 'file-backup-service',
    version,
    summary: "uploads every node's files as attachments of its Confluence page",
    async main({ configPath, logger }) {
      const config = await loadConfig(configPath, 'file-backup-service');
      for (const warning of config.warnings) logger.warn(warning);
      return ExitCode.ok;
    },
  };
}
