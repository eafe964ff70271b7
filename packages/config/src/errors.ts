/** One problem found in a config or mapping file; `path` is the key path, e.g. `BROKER.API_KEY`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * The config (or mapping) cannot be used. The message lists every problem at once and names the
 * file; it never contains the value of a secret.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly issues: readonly ConfigIssue[];
  /** Problems that alone would not stop the app, shown too: an unknown `[SMPT]` explains a missing SMTP.SERVER. */
  readonly warnings: readonly string[];

  constructor(
    file: string,
    issues: readonly ConfigIssue[],
    headline = 'invalid configuration',
    warnings: readonly string[] = [],
  ) {
    const lines = [
      ...issues.map((issue) => (issue.path ? `  - ${issue.path}: ${issue.message}` : `  - ${issue.message}`)),
      ...warnings.map((warning) => `  warning: ${warning}`),
    ];
    super(`${file}: ${headline}\n${lines.join('\n')}`);
    this.file = file;
    this.issues = issues;
    this.warnings = warnings;
  }
}

/** How a value that failed validation is shown: its type, and its text only when it is not a secret. */
export function describeFound(value: unknown, secret: boolean): string {
  if (value === undefined) return 'nothing';
  const type = Array.isArray(value) ? 'list' : typeof value;
  if (secret) return `a ${type}`;
  return `${JSON.stringify(value)} (${type})`;
}
