import { PageRenderError } from './errors.js';
import { isStatusColor, type NodePageView, type StatusView } from './types.js';
import { cleanStrings } from './xml-text.js';

/** What the node templates (Confluence and local report) see. */
export interface NodeContext extends Omit<NodePageView, 'status' | 'onlineSince'> {
  status: StatusContext;
  onlineSince: string | null;
  idRows: { label: string; root: string; format: string }[];
  versionRows: LabelledValue[];
  scriptRows: LabelledValue[];
  jiraQuery: string;
}

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

export function nodeContext(view: NodePageView): NodeContext {
  const clean = cleanStrings(view);
  if (clean.onlineSince !== undefined && !DATE.test(clean.onlineSince)) {
    throw new PageRenderError(`onlineSince must be YYYY-MM-DD, got "${clean.onlineSince}"`);
  }
  const r = clean.resources;
  return {
    ...clean,
    status: statusContext(clean.status),
    onlineSince: clean.onlineSince ?? null,
    idRows: (['patient', 'encounter', 'billing'] as const).map((kind) => ({
      label: kind,
      root: clean.root[kind],
      format: clean.format[kind],
    })),
    // Labels and class names as on the pages the Python version wrote.
    versionRows: [
      { label: 'OS', cls: 'os', value: r.os },
      { label: 'Kernel', cls: 'kernel', value: r.kernel },
      { label: 'Java', cls: 'java', value: r.java },
      { label: 'wildfly', cls: 'j2ee-impl', value: r.j2eeImpl },
      { label: 'apache2', cls: 'apache2', value: r.apache2 },
      { label: 'postgresql', cls: 'postgres', value: r.postgres },
      { label: 'dwh-api', cls: 'dwh-api', value: r.dwhApi },
      { label: 'dwh-j2ee', cls: 'dwh-j2ee', value: r.dwhJ2ee },
    ],
    scriptRows: [
      { label: 'rscript', cls: 'rscript', value: r.rscript },
      { label: 'python', cls: 'python', value: r.python },
      { label: 'import-scripts', cls: 'import-scripts', value: r.importScripts },
    ],
    jiraQuery: jiraQuery(clean.jiraLabels),
  };
}

export function statusContext(status: StatusView): StatusContext {
  return { ...status, lozenge: isStatusColor(status.color) ? status.color.toLowerCase() : 'grey' };
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
