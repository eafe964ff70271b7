import { type ConfluenceClient, createConfluenceClient } from './client.js';
import { ConfluenceSettingsError, InvalidOptionError } from './errors.js';

/** The `[CONFLUENCE]` settings of the broker-monitor config, as loadConfig gives them, and REQUESTS_CA_BUNDLE. */
export interface ConfluenceSettings {
  url?: string | undefined;
  space?: string | undefined;
  token?: string | undefined;
  /** Set for Confluence Cloud: basic auth with the token. */
  email?: string | undefined;
  /** Per attempt; default 30. */
  timeoutSeconds?: number | undefined;
  /** Requests in flight at once; default 8. */
  concurrency?: number | undefined;
  /** REQUESTS_CA_BUNDLE. */
  caBundlePath?: string | undefined;
  /** First backoff delay; default 500 (tests shorten it). */
  retryDelayMs?: number | undefined;
}

export interface ConfluenceConnection {
  readonly client: ConfluenceClient;
  /** CONFLUENCE.SPACE, also the client's default space for new pages. */
  readonly space: string;
  /** Confluence Cloud (CONFLUENCE.EMAIL set): the credentials are e-mail and API token. */
  readonly cloud: boolean;
}

const SETTING_KEYS = {
  url: 'CONFLUENCE.URL',
  token: 'CONFLUENCE.TOKEN',
  caBundlePath: 'REQUESTS_CA_BUNDLE',
} as const;

/**
 * The client for the configured Confluence, as every app builds it from its config.
 * @throws ConfluenceSettingsError naming the key to fix: URL, SPACE or TOKEN missing, a URL
 *   that is not http(s) or carries credentials, an unreadable CA bundle. Nothing is sent yet.
 */
export function connectConfluence(settings: ConfluenceSettings): ConfluenceConnection {
  const { url, space, token, email } = settings;
  if (url === undefined || space === undefined || token === undefined) {
    const key =
      url === undefined ? 'CONFLUENCE.URL' : space === undefined ? 'CONFLUENCE.SPACE' : 'CONFLUENCE.TOKEN';
    throw new ConfluenceSettingsError(key, `${key} is needed to use Confluence`);
  }
  try {
    const client = createConfluenceClient({
      url,
      token,
      email,
      spaceKey: space,
      timeoutMs: settings.timeoutSeconds === undefined ? undefined : settings.timeoutSeconds * 1000,
      concurrency: settings.concurrency,
      caBundlePath: settings.caBundlePath,
      retryDelayMs: settings.retryDelayMs,
    });
    return { client, space, cloud: email !== undefined && email !== '' };
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    throw new ConfluenceSettingsError(SETTING_KEYS[error.option], error.message, { cause: error });
  }
}
