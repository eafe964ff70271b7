/**
 * View models: every value is a ready-to-show string. Computing status, means and dates is
 * the job of the caller (status-rules); this package only escapes and lays them out.
 */

/** The colours Confluence's status macro knows. */
export const STATUS_COLORS = ['Red', 'Yellow', 'Green', 'Blue', 'Grey'] as const;
export type StatusColor = (typeof STATUS_COLORS)[number];

export function isStatusColor(text: string): text is StatusColor {
  return (STATUS_COLORS as readonly string[]).includes(text);
}

export interface StatusView {
  /** e.g. `ONLINE`, `GAP IN MONITORING` */
  title: string;
  color: StatusColor;
}

/** Import figures of one day or the 7-day means, e.g. `2000`, `1000.00`, `-`. */
export interface ImportFiguresView {
  imported: string;
  updated: string;
  invalid: string;
  failed: string;
  errorRate: string;
}

/** The three ids of ROOT or FORMAT from the mapping (`changeme` when missing). */
export interface ClinicIdsView {
  patient: string;
  encounter: string;
  billing: string;
}

export interface ErrorRowView {
  /** UTC `YYYY-MM-DD HH:MM:SS` */
  timestamp: string;
  repeats: string;
  content: string;
}

/** Resource values as shown: `-` when missing; scripts as `key (value), key (value)`. */
export interface NodeResourcesView {
  os: string;
  kernel: string;
  java: string;
  j2eeImpl: string;
  apache2: string;
  postgres: string;
  dwhApi: string;
  dwhJ2ee: string;
  rscript: string;
  python: string;
  importScripts: string;
}

export interface ContactView {
  /** `Titel Vorname Nachname`, trimmed */
  name: string;
  email: string;
}

export interface NodePageView {
  /** Broker node id; names the node's file in the local report. */
  nodeId: string;
  /** Page title (COMMON_NAME). */
  commonName: string;
  clinicName: string;
  informationSystem: string;
  interfaceImport: string;
  root: ClinicIdsView;
  format: ClinicIdsView;
  status: StatusView;
  /** Europe/Berlin `YYYY-MM-DD HH:MM:SS` or `-`. */
  lastCheck: string;
  lastContact: string;
  lastStart: string;
  lastWrite: string;
  lastReject: string;
  means: ImportFiguresView;
  daily: ImportFiguresView;
  /** Shown as given, in order; the reporter passes the newest 20. */
  errors: readonly ErrorRowView[];
  resources: NodeResourcesView;
  contacts: { ed: readonly ContactView[]; it: readonly ContactView[] };
  /** JIRA_LABELS of the mapping; empty → the `Labels="empty"` query. */
  jiraLabels: readonly string[];
  /** `YYYY-MM-DD`; written only when the stored page has no monitoring start date yet. */
  onlineSince?: string;
}

export interface SummaryRowView {
  nodeId: string;
  commonName: string;
  interfaceImport: string;
  lastCheck: string;
  status: StatusView;
  /** daily_imported + daily_updated, e.g. `8.0` or `-` */
  importsToday: string;
  /** daily_invalid + daily_failed */
  errorsToday: string;
  errorRateToday: string;
  errorRate7d: string;
}

export interface HeatmapView {
  /** File name of the PNG attached to the parent page. */
  attachmentName: string;
  caption: string;
}

export interface SummaryView {
  rows: readonly SummaryRowView[];
  heatmap?: HeatmapView;
}
