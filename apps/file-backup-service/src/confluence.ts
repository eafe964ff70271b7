import { ServiceUnavailableError } from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError } from '@broker-monitor/config';
import {
  type ConfluenceConnection,
  ConfluenceError,
  ConfluenceHttpError,
  ConfluenceSettingsError,
  connectConfluence,
} from '@broker-monitor/confluence-client';

/** The client for the configured server; a setting the client cannot use is a config error (exit 2). */
export function openConfluence(
  config: AppConfig<'file-backup-service'>,
  retryDelayMs: number | undefined,
): ConfluenceConnection {
  try {
    return connectConfluence({ ...config.confluence, caBundlePath: config.requestsCaBundle, retryDelayMs });
  } catch (error) {
    if (!(error instanceof ConfluenceSettingsError)) throw error;
    throw new ConfigError(config.file, [{ path: error.key, message: error.message }]);
  }
}

/**
 * What a failed first contact means for the run: nothing can be done (exit 3), and the message
 * names the key to check. Errors that are not Confluence's are returned unchanged.
 */
export function startFailure(error: unknown, cloud: boolean): unknown {
  if (!(error instanceof ConfluenceError)) return error;
  if (error instanceof ConfluenceHttpError && error.isAuthFailure) {
    return new ServiceUnavailableError(
      `Confluence refused our credentials: HTTP ${error.status} to ${error.method} ${error.url}`,
      cloud ? 'CONFLUENCE.EMAIL and CONFLUENCE.TOKEN' : 'CONFLUENCE.TOKEN',
      { cause: error },
    );
  }
  // Unreachable, timed out, a server error after retries, or not Confluence's REST API at this URL.
  return new ServiceUnavailableError(error.message, 'CONFLUENCE.URL', { cause: error });
}
