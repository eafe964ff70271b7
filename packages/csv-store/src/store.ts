/*
 * The working directory as one object: everything the four apps read and write there goes
 * through it, so that file names, formats and the state folder are known in this package only.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackupFile, type BackupListing, listNodeFiles, readNodeFile } from './backup-files.js';
import { type NodeWriteResult, type WriteNodeOptions, writeNodeCollection } from './collection.js';
import {
  type CollectorState,
  makeCollectorStateFolder,
  readCollectorState,
  removeStaleCollectorTemporaries,
  writeCollectorState,
} from './collector-state.js';
import {
  checkInsideWorkingDir,
  checkNodeFolder,
  checkWorkingDirEntry,
  listNodeFolders,
  listPlainFolders,
  nodeFolderPath,
  readErrorRows,
  readResource,
  readStatsRows,
  removeStaleTemporaryFiles,
  stateDir,
  statsFilePath,
} from './files.js';
import { acquireLock, type StoreLock } from './lock.js';
import { readSilencesText, type SilencesText, writeSilencesText } from './silences-file.js';
import {
  logSentMail,
  openTrackingFile,
  readSentMails,
  type SentMailEntry,
  sentMailsLogPath,
  type TrackingFile,
  trackingFilePath,
} from './tracking.js';
import {
  type ErrorRow,
  type NodeCollection,
  RESOURCE_NAMES,
  type ResourceEntries,
  type ResourceName,
  type StatsRow,
} from './types.js';

/** A node's stats rows of the current UTC year and of the year before (`[]` where a file is missing). */
export interface NodeHistory {
  thisYear: StatsRow[];
  lastYear: StatsRow[];
}

export interface Store {
  readonly workingDir: string;
  /** The node folders (names that are node ids), in numeric order. */
  listNodes(): Promise<string[]>;
  /** Whether the node has a folder. */
  hasNode(nodeId: string): Promise<boolean>;
  /** Where the node's files are, for messages and logs. */
  nodeFolder(nodeId: string): string;
  /** The stats rows of `now`'s UTC year and of the year before. */
  readHistory(nodeId: string, now: Date): Promise<NodeHistory>;
  /** `<file>: line N` of a stats row read by readHistory (index as read, 0-based), for messages. */
  statsRowLocation(nodeId: string, year: number, index: number): string;
  /** The error rows of a year, newest first; `[]` without a file. */
  readErrors(nodeId: string, year: number): Promise<ErrorRow[]>;
  /** Every resource snapshot; `undefined` for one without a file. */
  readResources(nodeId: string): Promise<Record<ResourceName, ResourceEntries | undefined>>;
  /** The collector's write of one node (stats, errors, resources and their change logs). */
  writeCollection(collection: NodeCollection, options: WriteNodeOptions): Promise<NodeWriteResult>;
  readCollectorState<Stats, Entries>(nodeId: string): Promise<CollectorState<Stats, Entries>>;
  writeCollectorState<Stats, Entries>(nodeId: string, state: CollectorState<Stats, Entries>): Promise<void>;
  /** The maintenance windows' file (its text, or undefined before the first one). */
  readSilences(): Promise<SilencesText>;
  /** Replaces the maintenance windows' file atomically (take the lock first). */
  writeSilences(text: string): Promise<void>;
  /**
   * The node's files the backup uploads (csv, then txt, then log) and the links it skips because
   * they lead outside the working directory; `undefined` without a folder.
   */
  listBackupFiles(nodeId: string): Promise<BackupListing | undefined>;
  /** @throws UnusablePathError when the file has become a link leading outside the working directory. */
  readBackupFile(nodeId: string, file: BackupFile): Promise<Buffer>;
  /** The e-mail service's tracking file of a status (`{}` written when `create` and there is none). */
  openTracking(status: string, options: { create: boolean }): Promise<TrackingFile>;
  /**
   * Refuses (UnusablePathError) a sent-mail log that appending would write outside the working
   * directory: checked before a mail goes out, so that the mail is not sent again on every run.
   */
  checkSentMailLog(nodeId: string): Promise<void>;
  /** Appends the original's line to the node's sent-mail log; UnusablePathError for a link leading outside. */
  logSentMail(nodeId: string, status: string, time: Date): Promise<void>;
  /** The node's sent-mail log as entries, oldest first; `[]` without a log. */
  readSentMails(nodeId: string): Promise<SentMailEntry[]>;
  /**
   * Takes the working directory's lock (the collector and the e-mail service write the store),
   * then removes what runs killed mid-write left outside the node folders.
   * @throws LockHeldError when another live run holds it.
   */
  lock(app: string, now: Date): Promise<StoreLock>;
}

/** Appending to the sent-mail log would write through a link. */
async function checkSentMailLog(workingDir: string, nodeId: string): Promise<void> {
  await checkNodeFolder(workingDir, nodeFolderPath(workingDir, nodeId));
  await checkInsideWorkingDir(workingDir, [sentMailsLogPath(workingDir, nodeId)]);
}

export function openStore(workingDir: string): Store {
  // The collector's per-node writes look at the working directory and the state folder once per
  // store rather than once per node: a run holds the lock while it writes.
  let plainFolders: Set<string> | undefined;
  let stateFolderReady: Promise<void> | undefined;
  return {
    workingDir,
    listNodes: () => listNodeFolders(workingDir),
    nodeFolder: (nodeId) => nodeFolderPath(workingDir, nodeId),
    async hasNode(nodeId) {
      const info = await stat(nodeFolderPath(workingDir, nodeId)).catch(() => undefined);
      return info?.isDirectory() ?? false;
    },
    async readHistory(nodeId, now) {
      const year = now.getUTCFullYear();
      const [thisYear, lastYear] = await Promise.all([
        readStatsRows(workingDir, nodeId, year),
        readStatsRows(workingDir, nodeId, year - 1),
      ]);
      return { thisYear: thisYear ?? [], lastYear: lastYear ?? [] };
    },
    // The header is line 1.
    statsRowLocation: (nodeId, year, index) =>
      `${statsFilePath(workingDir, nodeId, year)}: line ${index + 2}`,
    readErrors: async (nodeId, year) => (await readErrorRows(workingDir, nodeId, year)) ?? [],
    async readResources(nodeId) {
      const entries = await Promise.all(RESOURCE_NAMES.map((name) => readResource(workingDir, nodeId, name)));
      return Object.fromEntries(RESOURCE_NAMES.map((name, i) => [name, entries[i]])) as Record<
        ResourceName,
        ResourceEntries | undefined
      >;
    },
    writeCollection(collection, options) {
      plainFolders ??= listPlainFolders(workingDir);
      return writeNodeCollection(workingDir, collection, {
        ...options,
        knownPlainFolder: plainFolders.has(collection.nodeId),
      });
    },
    readCollectorState: (nodeId) => readCollectorState(workingDir, nodeId),
    async writeCollectorState(nodeId, state) {
      stateFolderReady ??= checkWorkingDirEntry(workingDir, stateDir(workingDir)).then(() =>
        makeCollectorStateFolder(workingDir),
      );
      await stateFolderReady;
      await writeCollectorState(workingDir, nodeId, state);
    },
    listBackupFiles: (nodeId) => listNodeFiles(workingDir, nodeFolderPath(workingDir, nodeId)),
    readBackupFile: (nodeId, file) =>
      readNodeFile(workingDir, join(nodeFolderPath(workingDir, nodeId), file.name)),
    readSilences: () => readSilencesText(workingDir),
    async writeSilences(text) {
      await checkInsideWorkingDir(workingDir, [stateDir(workingDir)]);
      await writeSilencesText(workingDir, text);
    },
    openTracking: (status, options) => openTrackingFile(trackingFilePath(workingDir, status), options),
    checkSentMailLog: (nodeId) => checkSentMailLog(workingDir, nodeId),
    async logSentMail(nodeId, status, time) {
      await checkSentMailLog(workingDir, nodeId);
      await logSentMail(workingDir, nodeId, status, time);
    },
    readSentMails: (nodeId) => readSentMails(workingDir, nodeId),
    async lock(app, now) {
      await checkInsideWorkingDir(workingDir, [stateDir(workingDir)]);
      const lock = await acquireLock(workingDir, app, now);
      // Temporary tracking and collector-state files of a run killed mid-write.
      await removeStaleTemporaryFiles(workingDir);
      await removeStaleCollectorTemporaries(workingDir);
      return lock;
    },
  };
}
