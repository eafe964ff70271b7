export { type NodeWriteResult, type WriteNodeOptions, writeNodeCollection } from './collection.js';
export { upsertErrors } from './error-rules.js';
export { BrokenFileError, CsvStoreError, InvalidNodeIdError, InvalidStatisticsError } from './errors.js';
export {
  appendLines,
  errorsFilePath,
  isValidNodeId,
  listNodeFolders,
  nodeFolderPath,
  readErrorRows,
  readResource,
  readStatsRows,
  removeStaleTemporaryFiles,
  resourceFilePath,
  resourceLogPath,
  statsFilePath,
  syncFolder,
  writeFileAtomic,
} from './files.js';
export {
  compareCodePoints,
  divideIntegers,
  formatRunTime,
  formatTwoDecimals,
  formatUtcDay,
  parsePythonInt,
} from './python-format.js';
export { formatResourceJson, parseResourceJson } from './resource-json.js';
export { normalizeResourceEntries, resourceChangeLines } from './resource-rules.js';
export {
  buildStatsRow,
  formatErrorRate,
  isRowOfDay,
  isSameDwhStart,
  type NextStatsRowsInput,
  needsPreviousYearRow,
  nextStatsRows,
  type StatsRowInput,
} from './stats-rules.js';
export {
  ERROR_COLUMNS,
  formatErrorsCsv,
  formatStatsCsv,
  parseErrorsCsv,
  parseStatsCsv,
} from './store-format.js';
export { parseTimestamp } from './timestamp.js';
export * from './types.js';
