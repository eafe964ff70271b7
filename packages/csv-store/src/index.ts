export type { BackupFile, BackupListing, SkippedEntry } from './backup-files.js';
export type { NodeWriteResult, WriteNodeOptions } from './collection.js';
export type { CachedAnswer, CollectorState } from './collector-state.js';
export {
  BrokenFileError,
  CsvStoreError,
  InvalidNodeIdError,
  InvalidStatisticsError,
  UnusablePathError,
} from './errors.js';
export { isValidNodeId, writeFileAtomic } from './files.js';
export { LockHeldError, type LockOwner, type StoreLock } from './lock.js';
export { formatTwoDecimals } from './python-format.js';
export type { SilencesText } from './silences-file.js';
export { type NodeHistory, openStore, type Store } from './store.js';
export type { SentMailEntry, TrackingFile } from './tracking.js';
export {
  type BrokerImportError,
  type Counter,
  type ErrorRow,
  type ImportStatistics,
  type NodeCollection,
  RESOURCE_NAMES,
  type ResourceEntries,
  type ResourceName,
  STATS_COLUMNS,
  type StatsColumn,
  type StatsRow,
} from './types.js';
