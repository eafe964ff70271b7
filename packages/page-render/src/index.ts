export { PageRenderError } from './errors.js';
export { jiraQuery } from './node-context.js';
export { type KeptPageParts, renderNodePage } from './node-page.js';
export {
  REPORT_CHART_SCRIPTS,
  REPORT_INDEX_FILE,
  REPORT_STYLESHEET_FILE,
  type ReportIndexOptions,
  renderReportIndex,
  renderReportNodePage,
  reportNodeFileName,
  reportStylesheet,
} from './report.js';
export {
  isTemplateOutdated,
  readStoredPage,
  type StoredOnlineSince,
  type StoredPage,
  TEMPLATE_VERSION,
} from './stored-page.js';
export { renderSummaryPage } from './summary-page.js';
export type {
  ClinicIdsView,
  ContactView,
  ErrorRowView,
  HeatmapView,
  MacroColor,
  NodePageView,
  StatusView,
  SummaryRowView,
  SummaryView,
} from './types.js';
