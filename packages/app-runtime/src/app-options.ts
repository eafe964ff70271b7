import { createRequire } from 'node:module';

/** What each app's `createApp` takes: the bins pass the system clock, tests and the demo their own. */
export interface AppOptions {
  /** The clock; the bin uses the system clock, tests and the demo pass their own. */
  now?: () => Date;
  /** First backoff delay of a retried request in ms; tests shorten it (apps that retry nothing ignore it). */
  retryDelayMs?: number;
}

/** The version in the package.json one folder above the calling module (an app's `dist/`). */
export function packageVersion(moduleUrl: string): string {
  return (createRequire(moduleUrl)('../package.json') as { version: string }).version;
}
