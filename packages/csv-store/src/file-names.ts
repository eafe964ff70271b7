import { isValidNodeId } from './files.js';
import type { ResourceName } from './types.js';

/** A store file by what it holds. */
export type StoreFile =
  | { kind: 'stats' | 'errors'; node: string; year: number }
  | { kind: 'resource' | 'change-log'; node: string; resource: ResourceName }
  | { kind: 'sent-mails'; node: string }
  | { kind: 'tracking'; status: string };

/** The name of a store file (in its node's folder; tracking files in the working directory). */
export function storeFileName(file: StoreFile): string {
  switch (file.kind) {
    case 'stats':
    case 'errors':
      return `${file.node}_${file.kind}_${file.year}.csv`;
    case 'resource':
      return `${file.node}_${file.resource}.txt`;
    case 'change-log':
      return `${file.node}_log_${file.resource}.log`;
    case 'sent-mails':
      return `${file.node}_sent_mails.log`;
    case 'tracking':
      return `tracking_${file.status.replaceAll(' ', '_')}.json`;
  }
}

/** What a file name in a working directory is: the kind of store file, or undefined for another file. */
export function storeFileKind(name: string): StoreFile['kind'] | undefined {
  if (/^tracking_.+\.json$/.test(name)) return 'tracking';
  const node = /^(\d+)_/.exec(name)?.[1];
  if (node === undefined || !isValidNodeId(node)) return undefined;
  const rest = name.slice(node.length + 1);
  if (/^stats_\d{4}\.csv$/.test(rest)) return 'stats';
  if (/^errors_\d{4}\.csv$/.test(rest)) return 'errors';
  if (rest === 'sent_mails.log') return 'sent-mails';
  if (/^log_.+\.log$/.test(rest)) return 'change-log';
  if (/^.+\.txt$/.test(rest)) return 'resource';
  return undefined;
}
