import { ServiceUnavailableError } from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError } from '@broker-monitor/config';
import {
  type ConfluenceClient,
  ConfluenceError,
  ConfluenceHttpError,
  createConfluenceClient,
} from '@broker-monitor/confluence-client';

export interface ConfluenceConnection {
  client: ConfluenceClient;
  space: string;
  /** Confluence Cloud (CONFLUENCE.EMAIL set): basic auth instead of a bearer token. */
  cloud: boolean;
}

/** The client for the configured server; a URL or CA bundle the client cannot use is a config error (exit 2). */
export function connectConfluence(
  config: AppConfig<'file-backup-service'>,
  retryDelayMs: number | undefined,
): ConfluenceConnection {
  const { url, space, token, email } = config.confluence;
  // loadConfig requires these three for this app; the check keeps the types honest.
  if (url === undefined || space === undefined || token === undefined) {
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
      retryDelayMs,
    });
    return { client, space, cloud: email !== undefined };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const path = error.message.includes('CA bundle') ? 'REQUESTS_CA_BUNDLE' : 'CONFLUENCE.URL';
    throw new ConfigError(config.file, [{ path, message: error.message }]);
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
