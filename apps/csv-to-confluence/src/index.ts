export { type AppOptions, createApp, DEFAULT_REPORT_FOLDER } from './app.js';
export { HASH_PREFIX, PARENT_PAGE_TITLE, ROOT_PAGE_TITLE } from './publish.js';
export { HEATMAP_FILE } from './summary.js';
