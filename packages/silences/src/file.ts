/*
 * `silences.json`: `{ "version": 1, "silences": [ … ] }`, written by `silence add` and `silence
 * expire`. A file that cannot be read stops the e-mail service before any mail: mailing a clinic
 * in maintenance is worse than one late mail.
 */
import { SILENCE_KINDS, type Silence, type SilenceKind } from './silence.js';

/** The silences file is not what `silence add` writes; the message names the file and the entry. */
export class SilencesFileError extends Error {
  override readonly name = 'SilencesFileError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** The silences in a file's text; an absent file is `[]` (the caller passes undefined). */
export function parseSilences(text: string | undefined, file: string): Silence[] {
  if (text === undefined) return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SilencesFileError(file, `not valid JSON: ${(error as Error).message}`);
  }
  const root = data as { version?: unknown; silences?: unknown };
  if (typeof data !== 'object' || data === null || root.version !== 1 || !Array.isArray(root.silences)) {
    throw new SilencesFileError(file, 'expected {"version": 1, "silences": [...]}');
  }
  return root.silences.map((entry, index) => silenceOf(entry, `silences[${index}]`, file));
}

function silenceOf(entry: unknown, where: string, file: string): Silence {
  const fail = (message: string): never => {
    throw new SilencesFileError(file, `${where}: ${message}`);
  };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail('expected an object');
  const e = entry as Record<string, unknown>;
  const text = (key: string, pattern?: RegExp) => {
    const value = e[key];
    if (typeof value !== 'string' || value === '' || (pattern && !pattern.test(value))) {
      return fail(
        `${key} is missing or not ${pattern === ISO ? 'an ISO instant' : pattern ? 'a node id' : 'a text'}`,
      );
    }
    return value;
  };
  const id = text('id');
  const node = text('node', /^\d+$/);
  const from = text('from', ISO);
  const until = text('until', ISO);
  const kinds = e.kinds;
  if (!Array.isArray(kinds) || kinds.some((kind) => !(SILENCE_KINDS as readonly unknown[]).includes(kind))) {
    return fail(`kinds must be a list of ${SILENCE_KINDS.join(', ')}`);
  }
  const silence: Silence = {
    id,
    node,
    from,
    until,
    kinds: kinds as SilenceKind[],
    reason: text('reason'),
    author: text('author'),
    created: text('created', ISO),
    ...(e.expired === undefined ? {} : { expired: text('expired', ISO) }),
  };
  return silence;
}

/** The file's text for a list of silences (pretty, so a person can read it). */
export function formatSilences(silences: readonly Silence[]): string {
  return `${JSON.stringify({ version: 1, silences }, null, 2)}\n`;
}
