/*
 * The store's file formats on their own, for tools that check a working directory from outside
 * (the fault suite's invariants, the migration comparison): the apps go through openStore.
 */
export { type StoreFile, storeFileKind, storeFileName } from './file-names.js';
export { parseResourceJson } from './resource-json.js';
export { parseErrorsCsv, parseStatsCsv } from './store-format.js';
export { instantOfTimestamp } from './timestamp.js';
