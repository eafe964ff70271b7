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
    name: 'csv-to-confluence',
    version,
    summary: 'renders the node pages and the summary to Confluence or a local HTML report',
    async main({ configPath, logger }) {
      const config = await loadConfig(configPath, 'csv-to-confluence');
      for (const warning of config.warnings) logger.warn(warning);
      return ExitCode.ok;
    },
  };
}
