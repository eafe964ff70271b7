/*
 * The store's file formats on their own, for tools that check a working directory from outside
 * (the fault suite's invariants, the migration comparison) and the collector's metrics, which turn
 * stored timestamps into Unix time: the apps read and write the store through openStore.
 */
export { type StoreFile, storeFileKind, storeFileName } from './file-names.js';
export { parseResourceJson } from './resource-json.js';
export { parseErrorsCsv, parseStatsCsv } from './store-format.js';
export { instantOfTimestamp, utcMillisOfDigits } from './timestamp.js';
