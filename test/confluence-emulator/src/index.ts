export { type ContactRow, contactColumns, contactsPageBody } from './contacts-page.js';
export {
  type ConfluenceEmulator,
  type ConfluenceEmulatorOptions,
  type ConfluenceFlavour,
  type EmulatedAttachment,
  type EmulatedPage,
  type FaultRule,
  type RequestLogEntry,
  type SeedAttachment,
  type SeedPage,
  startConfluenceEmulator,
} from './emulator.js';
export { type NormaliseOptions, normaliseStorage, StorageFormatError } from './storage-format.js';
