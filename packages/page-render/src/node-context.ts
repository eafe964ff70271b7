import type { HistoryDay, ScriptResource, VersionKey } from '@broker-monitor/status-rules';
import { PageRenderError } from './errors.js';
import { isMacroColor, type NodePageView, type StatusView } from './types.js';
import { cleanStrings } from './xml-text.js';

/** What the node templates (Confluence and local report) see. */
export interface NodeContext
  extends Omit<NodePageView, 'status' | 'onlineSince' | 'importNote' | 'maintenanceNote'> {
  status: StatusContext;
  onlineSince: string | null;
  importNote: string | null;
  maintenanceNote: string | null;
  idRows: { label: string; root: string; format: string }[];
  versionRows: LabelledValue[];
  scriptRows: LabelledValue[];
  jiraQuery: string;
  availabilityRule: string;
  /** `DD.MM.YYYY, …` of the DWH restarts of the year, or `keine`. */
  restarts: string;
}

/** Said under the availability on every page: which days count. */
export const AVAILABILITY_RULE =
  'Verfügbar: Tage mit Status ONLINE, LOW, HIGH oder EXTREME ERROR RATE; nicht verfügbar: OFFLINE und NO IMPORTS. ' +
  'Tage in TESTING oder GAP IN MONITORING (eine Lücke des Monitorings, nicht der Klinik) zählen nicht mit. ' +
  'Jeder Tag (UTC) wird mit dem Stand an seinem Ende bewertet.';

export interface StatusContext extends StatusView {
  /** CSS suffix of the local report's lozenge, from a fixed set. */
  lozenge: string;
}

interface LabelledValue {
  label: string;
  cls: string;
  value: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The versions rows in page order, each with the label the Python version's pages show. */
const VERSION_ROWS: readonly (readonly [VersionKey, string])[] = [
  ['os', 'OS'],
  ['kernel', 'Kernel'],
  ['java', 'Java'],
  ['j2ee-impl', 'wildfly'],
  ['apache2', 'apache2'],
  ['postgres', 'postgresql'],
  ['dwh-api', 'dwh-api'],
  ['dwh-j2ee', 'dwh-j2ee'],
];
const SCRIPT_ROWS: readonly ScriptResource[] = ['rscript', 'python', 'import-scripts'];

export function nodeContext(view: NodePageView): NodeContext {
  // The days hold only dates, numbers and flags (checked where they are written): a year of them
  // per page is not worth copying through the text cleaning.
  const clean = { ...cleanStrings({ ...view, days: [] }), days: view.days };
  if (clean.onlineSince !== undefined && !DATE.test(clean.onlineSince)) {
    throw new PageRenderError(`onlineSince must be YYYY-MM-DD, got "${clean.onlineSince}"`);
  }
  const { versions, scripts } = clean.resources;
  return {
    ...clean,
    status: statusContext(clean.status),
    onlineSince: clean.onlineSince ?? null,
    idRows: (['patient', 'encounter', 'billing'] as const).map((kind) => ({
      label: kind,
      root: clean.root[kind],
      format: clean.format[kind],
    })),
    // The class of each row is the resource key or name it shows, as on the Python version's pages.
    versionRows: VERSION_ROWS.map(([cls, label]) => ({ label, cls, value: versions[cls] })),
    scriptRows: SCRIPT_ROWS.map((cls) => ({ label: cls, cls, value: scripts[cls] })),
    jiraQuery: jiraQuery(clean.jiraLabels),
    importNote: clean.importNote ?? null,
    maintenanceNote: clean.maintenanceNote ?? null,
    availabilityRule: AVAILABILITY_RULE,
    restarts: restartList(clean.days),
  };
}

/** The Confluence page's chart tables: rows of storage markup, days with a value only. */
export function chartTables(days: readonly HistoryDay[]): { importRows: string; errorRateRows: string } {
  return {
    importRows: chartRows(days, (day) => day.imports),
    errorRateRows: chartRows(days, (day) => day.errorRate),
  };
}

/** The report page's chart days as JSON, safe inside `<script>`: `<` is written as \u003c. */
export function daysJson(days: readonly HistoryDay[]): string {
  for (const { day } of days) {
    if (!DATE.test(day)) throw new PageRenderError(`a history day must be YYYY-MM-DD, got "${day}"`);
  }
  return JSON.stringify(days).replaceAll('<', '\\u003c');
}

/**
 * A chart table's rows, built here rather than by the template: a year of days is 365 rows per
 * chart on every page, and only dates and finite numbers go in, which need no escaping.
 */
function chartRows(days: readonly HistoryDay[], value: (day: HistoryDay) => number | null): string {
  let rows = '';
  for (const day of days) {
    const v = value(day);
    if (v === null || !Number.isFinite(v)) continue;
    if (!DATE.test(day.day)) throw new PageRenderError(`a history day must be YYYY-MM-DD, got "${day.day}"`);
    rows += `<tr><td>${day.day}</td><td>${v}</td></tr>`;
  }
  return rows;
}

function restartList(days: readonly HistoryDay[]): string {
  const restarts = days
    .filter((day) => day.restart)
    .map(({ day }) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`);
  return restarts.length === 0 ? 'keine' : restarts.join(', ');
}

export function statusContext(status: StatusView): StatusContext {
  return { ...status, lozenge: isMacroColor(status.color) ? status.color.toLowerCase() : 'grey' };
}

/**
 * The JQL of the Jira macro. Quotes and backslashes inside a label are escaped so that an odd
 * label cannot break the query (the original inserts labels verbatim).
 */
export function jiraQuery(labels: readonly string[]): string {
  if (labels.length === 0) return 'project=AKTIN AND Labels="empty"';
  const terms = labels.map((label) => `Labels="${label.replace(/["\\]/g, '\\$&')}"`);
  return `project=AKTIN AND ( ${terms.join(' OR ')} )`;
}
