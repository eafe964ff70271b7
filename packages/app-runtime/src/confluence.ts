/*
 * The apps' Confluence: the client built from the `[CONFLUENCE]` settings, and what a failure of
 * the first requests means for a run. A subpath of its own, so that apps without Confluence never
 * load the client.
 */
import { ConfigError, type ConfluenceSettings } from '@broker-monitor/config';
import {
  type ConfluenceClient,
  ConfluenceError,
  ConfluenceHttpError,
  ConfluenceSpaceNotFoundError,
  createConfluenceClient,
  InvalidOptionError,
} from '@broker-monitor/confluence-client';
import { ServiceUnavailableError } from './exit-codes.js';

/** The page that holds the reporter's summary and under which the node pages live. */
export const PARENT_PAGE_TITLE = 'Support Log Broker-Monitor';

export interface ConfluenceConnection {
  readonly client: ConfluenceClient;
  /** CONFLUENCE.SPACE, also the client's default space for new pages. */
  readonly space: string;
  /** Confluence Cloud (CONFLUENCE.EMAIL set): the credentials are e-mail and API token. */
  readonly cloud: boolean;
}

/** What openConfluence reads of an app's config. */
export interface ConfluenceAppConfig {
  file: string;
  confluence: Pick<
    ConfluenceSettings,
    'url' | 'space' | 'token' | 'email' | 'timeoutSeconds' | 'concurrency'
  >;
  requestsCaBundle?: string | undefined;
}

export interface OpenConfluenceOptions {
  /** First backoff delay of a retried request in ms (the client's default 500); tests shorten it. */
  retryDelayMs?: number | undefined;
}

/** The config key behind each option the client can refuse. */
const OPTION_KEYS = {
  url: 'CONFLUENCE.URL',
  token: 'CONFLUENCE.TOKEN',
  caBundlePath: 'REQUESTS_CA_BUNDLE',
} as const;

/**
 * The client for the configured Confluence (TIMEOUT_SECONDS in seconds, SPACE as the space of new
 * pages, REQUESTS_CA_BUNDLE trusted). Nothing is sent yet.
 * @throws ConfigError (exit 2) naming the key to fix: URL, SPACE or TOKEN missing, a URL that is
 *   not http(s) or carries credentials, an unreadable CA bundle.
 */
export function openConfluence(
  config: ConfluenceAppConfig,
  options: OpenConfluenceOptions = {},
): ConfluenceConnection {
  const { url, space, token, email, timeoutSeconds, concurrency } = config.confluence;
  if (url === undefined || space === undefined || token === undefined) {
    const key =
      url === undefined ? 'CONFLUENCE.URL' : space === undefined ? 'CONFLUENCE.SPACE' : 'CONFLUENCE.TOKEN';
    throw new ConfigError(config.file, [{ path: key, message: `${key} is needed to use Confluence` }]);
  }
  try {
    const client = createConfluenceClient({
      url,
      token,
      email,
      spaceKey: space,
      timeoutMs: timeoutSeconds * 1000,
      concurrency,
      caBundlePath: config.requestsCaBundle,
      retryDelayMs: options.retryDelayMs,
    });
    return { client, space, cloud: email !== undefined && email !== '' };
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    throw new ConfigError(config.file, [{ path: OPTION_KEYS[error.option], message: error.message }]);
  }
}

/**
 * What a failed first contact means for a run: nothing can be done (exit 3), and the message names
 * the key to check. Errors that are not Confluence's are returned unchanged.
 */
export function confluenceStartFailure(
  error: unknown,
  connection: Pick<ConfluenceConnection, 'cloud'>,
): unknown {
  if (!(error instanceof ConfluenceError)) return error;
  if (error instanceof ConfluenceSpaceNotFoundError) {
    return new ServiceUnavailableError(
      `Confluence has no space with the key ${error.spaceKey} (or the account may not see it)`,
      'CONFLUENCE.SPACE',
      { cause: error },
    );
  }
  // A Cloud site answers a client without e-mail (bearer token, v1 content API) with 401, or with
  // 410 Gone for the removed v1 endpoints; Data Center never sends 410.
  if (
    error instanceof ConfluenceHttpError &&
    !connection.cloud &&
    (error.status === 410 || (error.status === 401 && looksLikeCloud(error.url)))
  ) {
    return new ServiceUnavailableError(
      `Confluence refused our request, as Confluence Cloud does without an e-mail address: ${error.message}; for Confluence Cloud set CONFLUENCE.EMAIL to the e-mail address of the API token's account`,
      error.status === 410 ? 'CONFLUENCE.EMAIL' : 'CONFLUENCE.EMAIL and CONFLUENCE.TOKEN',
      { cause: error },
    );
  }
  if (error instanceof ConfluenceHttpError && error.isAuthFailure) {
    return new ServiceUnavailableError(
      `Confluence refused our credentials or their permission: ${error.message}`,
      connection.cloud ? 'CONFLUENCE.EMAIL and CONFLUENCE.TOKEN' : 'CONFLUENCE.TOKEN',
      { cause: error },
    );
  }
  // Unreachable, timed out, a server error after retries, or not Confluence's REST API at this URL.
  return new ServiceUnavailableError(`Confluence is not usable: ${error.message}`, 'CONFLUENCE.URL', {
    cause: error,
  });
}

/** An Atlassian Cloud host, or a site URL with Cloud's `/wiki` prefix. */
function looksLikeCloud(url: string): boolean {
  const { hostname, pathname } = new URL(url);
  return hostname.endsWith('.atlassian.net') || pathname.startsWith('/wiki/');
}
