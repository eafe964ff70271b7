/*
 * The original's state files: `WORKING/tracking_<STATUS>.json` (when each node was last mailed
 * about a status) and `WORKING/<id>/<id>_sent_mails.log` (one line per mail), kept byte for byte
 * as the Python version writes them so either version can continue the other's files.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendLines, nodeFolderPath, readTextFile, writeFileAtomic } from './files.js';
import { formatRunTime } from './python-format.js';
import { formatResourceJson, parseResourceJson } from './resource-json.js';
import { instantOfTimestamp } from './timestamp.js';

/** `tracking_OFFLINE.json`, `tracking_NO_IMPORTS.json`, `tracking_DWH_OUTDATED.json`. */
export function trackingFilePath(workingDir: string, status: string): string {
  return join(workingDir, `tracking_${status.replaceAll(' ', '_')}.json`);
}

export interface TrackingFile {
  readonly path: string;
  /** The time text of the node's last mail about this status, if there is one. */
  lastSent(nodeId: string): string | undefined;
  /** Sets the node's entry and replaces the file atomically (an existing entry keeps its place, as in a dict). */
  record(nodeId: string, time: Date): Promise<void>;
  /** Removes the node's entry and replaces the file; nothing happens without an entry. */
  remove(nodeId: string): Promise<void>;
}

export interface OpenTrackingOptions {
  /** Write `{}` when the file does not exist (the original does at start); false for read-only runs. */
  create: boolean;
}

/**
 * Reads a tracking file: a flat JSON object of node id → `str(datetime)` written by `json.dumps`.
 * Keys keep their file order. A broken file throws BrokenFileError naming it.
 */
export async function openTrackingFile(path: string, options: OpenTrackingOptions): Promise<TrackingFile> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  const entries = new Map(text === undefined ? [] : parseResourceJson(text, path));
  const save = () => writeFileAtomic(path, formatResourceJson([...entries]));
  if (text === undefined && options.create) await save();
  return {
    path,
    lastSent: (nodeId) => entries.get(nodeId),
    async record(nodeId, time) {
      entries.set(nodeId, formatRunTime(time));
      await save();
    },
    async remove(nodeId) {
      if (entries.delete(nodeId)) await save();
    },
  };
}

export function sentMailsLogPath(workingDir: string, nodeId: string): string {
  return join(nodeFolderPath(workingDir, nodeId), `${nodeId}_sent_mails.log`);
}

/** Appends `<time> : Sent mail for status <STATUS> to node id <id>` to the node's sent-mails log. */
export async function logSentMail(
  workingDir: string,
  nodeId: string,
  status: string,
  time: Date,
): Promise<void> {
  await appendLines(sentMailsLogPath(workingDir, nodeId), [
    `${formatRunTime(time)} : Sent mail for status ${status} to node id ${nodeId}`,
  ]);
}

/** One line of a node's sent-mail log. */
export interface SentMailEntry {
  time: Date;
  /** The status as logged, e.g. `OFFLINE` or `OFFLINE RECOVERED`. */
  status: string;
}

const SENT_MAIL_LINE = /^(.+?) : Sent mail for status (.+) to node id \S+$/;

/**
 * The node's sent-mail log, oldest first (the order lines are appended); `[]` without a file.
 * Lines of another form or with an unreadable time are left out: the log is for people, not state.
 */
export async function readSentMails(workingDir: string, nodeId: string): Promise<SentMailEntry[]> {
  const text = await readTextFile(sentMailsLogPath(workingDir, nodeId));
  const entries: SentMailEntry[] = [];
  for (const line of text?.split('\n') ?? []) {
    const match = SENT_MAIL_LINE.exec(line.trimEnd());
    const time = match === null ? undefined : instantOfTimestamp(match[1] as string);
    if (match !== null && time !== undefined) entries.push({ time, status: match[2] as string });
  }
  return entries;
}
