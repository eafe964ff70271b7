export {
  type AttachmentUpload,
  type ConfluenceClient,
  type ConfluenceClientOptions,
  createConfluenceClient,
  type NewPage,
  type PageUpdate,
} from './client.js';
export type { ConfluenceAttachment, ConfluencePage, PageVersion } from './content.js';
export {
  ConfluenceError,
  ConfluenceHttpError,
  ConfluenceNetworkError,
  ConfluenceResponseError,
  ConfluenceSpaceNotFoundError,
  ConfluenceTimeoutError,
  InvalidOptionError,
} from './errors.js';
