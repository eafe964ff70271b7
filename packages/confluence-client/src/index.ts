export {
  type AttachmentUpload,
  type ConfluenceClient,
  type ConfluenceClientOptions,
  createConfluenceClient,
  type NewPage,
  type PageUpdate,
} from './client.js';
export { type ConfluenceConnection, type ConfluenceSettings, connectConfluence } from './connect.js';
export type { ConfluenceAttachment, ConfluencePage, PageVersion } from './content.js';
export {
  ConfluenceError,
  ConfluenceHttpError,
  ConfluenceNetworkError,
  ConfluenceResponseError,
  ConfluenceSettingsError,
  ConfluenceTimeoutError,
} from './errors.js';
