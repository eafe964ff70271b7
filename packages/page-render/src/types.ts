/**
 * View models: every value is a ready-to-show string. Status, means, dates and resource values
 * are status-rules' judgement of the node, in its words; this package only escapes and lays them out.
 */

import type { PageFigures, PageResources, SummaryFigures } from '@broker-monitor/status-rules';

/** The colours Confluence's status macro knows; Grey stands for a status we cannot read. */
export const MACRO_COLORS = ['Red', 'Yellow', 'Green', 'Blue', 'Grey'] as const;
export type MacroColor = (typeof MACRO_COLORS)[number];

export function isMacroColor(text: string): text is MacroColor {
  return (MACRO_COLORS as readonly string[]).includes(text);
}

/** A status macro: the judged status of status-rules, or one read back from a stored page. */
export interface StatusView {
  /** e.g. `ONLINE`, `GAP IN MONITORING` */
  title: string;
  color: MacroColor;
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

export interface ContactView {
  /** `Titel Vorname Nachname`, trimmed */
  name: string;
  email: string;
}

/** A node page: the mapping's facts about the clinic, and the node's judgement (PageFigures). */
export interface NodePageView extends Omit<PageFigures, 'status' | 'onlineSince'> {
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
  /** Shown as given, in order; the reporter passes the newest 20. */
  errors: readonly ErrorRowView[];
  resources: PageResources;
  contacts: { ed: readonly ContactView[]; it: readonly ContactView[] };
  /** JIRA_LABELS of the mapping; empty → the `Labels="empty"` query. */
  jiraLabels: readonly string[];
  /** `YYYY-MM-DD`; written only when the stored page has no monitoring start date yet. */
  onlineSince?: string;
  /** An active maintenance window, e.g. `Wartung bis 24.12.2026: DWH-Migration`; the status is not changed. */
  maintenanceNote?: string;
}

/** A summary row: the node's name and interface, then its judged figures or those read from its page. */
export interface SummaryRowView extends Omit<SummaryFigures, 'status'> {
  nodeId: string;
  commonName: string;
  interfaceImport: string;
  status: StatusView;
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
