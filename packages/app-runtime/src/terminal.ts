import { loadMappingPath, loadNodeMapping } from '@broker-monitor/config';

/** What the terminal shows of a run besides each log line's message. */
export interface TerminalView {
  /** Each ok outcome gets a line too (LOG_LEVEL=debug or trace); else only warnings and failures. */
  showOk: boolean;
  /** The COMMON_NAME of a node id, where the mapping has it. */
  nameOf(subject: string): string | undefined;
  /** How a person gets every line of the run as JSON, named in the summary. */
  fullLog: string;
  colors: boolean;
}

/** One pino record as its JSON line holds it (after redaction). */
export type LogRecord = Record<string, unknown>;

const LEVELS: Record<number, { label: string; color: string }> = {
  10: { label: 'TRACE', color: '\x1b[2m' },
  20: { label: 'DEBUG', color: '\x1b[2m' },
  30: { label: 'INFO ', color: '' },
  40: { label: 'WARN ', color: '\x1b[33m' },
  50: { label: 'ERROR', color: '\x1b[31m' },
  60: { label: 'FATAL', color: '\x1b[31m' },
};

/**
 * The one line a person reads for a log record, or undefined for an ok outcome they did not ask
 * for. Only the message, a node's name and the summary's counts are shown: the fields stay in
 * the JSON lines, so nothing a redaction would hide can appear here.
 */
export function terminalLine(record: LogRecord, view: TerminalView): string | undefined {
  if (record.outcome === 'ok' && record.summary !== true && !view.showOk) return undefined;
  const clock = typeof record.time === 'number' ? new Date(record.time).toTimeString().slice(0, 8) : '';
  if (record.summary === true) return `${clock} ${summaryText(record, view.fullLog)}`;
  const level = LEVELS[typeof record.level === 'number' ? record.level : 30] ?? LEVELS[30];
  const label = view.colors && level?.color ? `${level.color}${level.label}\x1b[0m` : level?.label;
  return `${clock} ${label} ${oneLine(withName(String(record.msg ?? ''), record, view))}`;
}

/** Line breaks and escape sequences in a message (a broker's error text, a mapped name) would break the screen. */
function oneLine(text: string): string {
  return text.replaceAll(/\p{Cc}+/gu, ' ');
}

/** `node 3: …` becomes `node 3 (Klinikum Nord): …` when the mapping names node 3. */
function withName(message: string, record: LogRecord, view: TerminalView): string {
  const key = message.slice(0, message.indexOf(' '));
  const subject = record[key];
  if (typeof subject !== 'string' || !message.startsWith(`${key} ${subject}:`)) return message;
  const name = view.nameOf(subject);
  if (name === undefined) return message;
  const head = `${key} ${subject}`;
  return `${head} (${name})${message.slice(head.length)}`;
}

function summaryText(record: LogRecord, fullLog: string): string {
  const count = (kind: string) => (typeof record[kind] === 'number' ? record[kind] : 0);
  const duration = typeof record.durationMs === 'number' ? ` in ${durationText(record.durationMs)}` : '';
  return [
    `run finished${duration}: ${count('ok')} ok, ${count('warning')} warnings, ${count('failed')} failed`,
    `(exit ${String(record.exitCode)});`,
    `every line as JSON: ${fullLog}`,
  ].join(' ');
}

export function durationText(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** The command line of this run with its output piped, which gives the JSON lines cron gets. */
export function pipedCommand(app: string, argv: readonly string[]): string {
  const quoted = argv.map((word) =>
    /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`,
  );
  return `${[app, ...quoted].join(' ')} | cat`;
}

/**
 * COMMON_NAME per node id, from the config's CONFLUENCE.MAPPING_JSON. The names only decorate
 * terminal lines: without a readable mapping the lines carry the ids alone, and the app itself
 * reports what is wrong with the mapping.
 */
export async function nodeNames(
  configPath: string,
  env: Record<string, string | undefined>,
): Promise<ReadonlyMap<string, string>> {
  const mappingPath = await loadMappingPath(configPath, { env });
  if (mappingPath === undefined) return new Map();
  try {
    const mapping = await loadNodeMapping(mappingPath);
    return new Map(mapping.nodes.map((node) => [node.id, node.commonName]));
  } catch {
    return new Map();
  }
}
