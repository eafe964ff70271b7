import { createRequire } from 'node:module';
import { type AppDefinition, acquireLock, ExitCode } from '@broker-monitor/app-runtime';
import { loadConfig } from '@broker-monitor/config';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface AppOptions {
  /** The clock; the bin uses the system clock, tests and the demo pass their own. */
  now?: () => Date;
}

export function createApp(_options: AppOptions = {}): AppDefinition {
  return {
    name: 'email-service',
    version,
    summary: 'mails clinics whose node is offline, not importing or outdated',
    async main({ configPath, logger }) {
      const config = await loadConfig(configPath, 'email-service');
      for (const warning of config.warnings) logger.warn(warning);
      // This app writes the store: one run at a time per working directory.
      const lock = await acquireLock(config.dir.working, 'email-service');
      if (lock.tookOverFrom)
        logger.warn({ staleLock: lock.tookOverFrom }, 'took over the lock of a run that is gone');
      try {
        return ExitCode.ok;
      } finally {
        await lock.release();
      }
    },
  };
}
