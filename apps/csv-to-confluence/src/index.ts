export type { AppOptions } from '@broker-monitor/app-runtime';
export { createApp, DEFAULT_REPORT_FOLDER } from './app.js';
export { PARENT_PAGE_TITLE, ROOT_PAGE_TITLE } from './confluence-pages.js';
export { HASH_PREFIX } from './page-hash.js';
export { HEATMAP_FILE } from './summary.js';
