/*
 * What the e-mail service knows about one node at mail time: read from the store and judged with
 * the reporter's own rules (status-rules), so a mail never disagrees with the node's page.
 */
import { stat } from 'node:fs/promises';
import type { AktinSettings, MappedNode } from '@broker-monitor/config';
import { nodeFolderPath, readResource, readStatsRows, type StatsRow } from '@broker-monitor/csv-store';
import type { AlertKind, AlertValues } from '@broker-monitor/mailer';
import {
  type DwhVersionCheck,
  isDwhOutdated,
  type NodeStatusTitle,
  needsPreviousYear,
  nodeStatus,
  noImportsMailDate,
  offlineMailDate,
  resourceValue,
  statusHistory,
} from '@broker-monitor/status-rules';
import type { NotifiedStatus } from './tracking.js';

export interface NodeFacts {
  node: MappedNode;
  /** Rows of the current UTC year's stats CSV. */
  currentYear: StatsRow[];
  /** The rows the status is judged on (last year's prepended when this year has few). */
  history: StatsRow[];
  status: NodeStatusTitle;
  /** The node's dwh-j2ee text as its page shows it (`-` when unknown). */
  dwhText: string;
  dwh: DwhVersionCheck;
}

/** Why a node gets no evaluation at all; states of the node, not failures (SPEC §6). */
export type NodeAbsence = 'no-folder' | 'no-stats';

/**
 * Reads a node's stats and versions and judges its status at `now`. Throws BrokenFileError or
 * InvalidTimestampError for a broken file: that node fails.
 */
export async function readNodeFacts(
  workingDir: string,
  node: MappedNode,
  now: Date,
  /** AKTIN.DWH_VERSION, the released version nodes are compared with. */
  dwhVersion: string,
): Promise<NodeFacts | NodeAbsence> {
  const folder = nodeFolderPath(workingDir, node.id);
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) return 'no-folder';
  const year = now.getUTCFullYear();
  const currentYear = (await readStatsRows(workingDir, node.id, year)) ?? [];
  const previousYear = needsPreviousYear(currentYear)
    ? await readStatsRows(workingDir, node.id, year - 1)
    : undefined;
  const history = statusHistory(currentYear, previousYear);
  if (history.length === 0) return 'no-stats';
  const { status } = nodeStatus(history, now, {
    thresholdHoursFailure: node.thresholdHoursFailure,
    consecutiveImportDays: node.consecutiveImportDays,
  });
  const dwhText = resourceValue(await readResource(workingDir, node.id, 'versions'), 'dwh-j2ee');
  return { node, currentYear, history, status, dwhText, dwh: isDwhOutdated(dwhText, dwhVersion) };
}

/**
 * Whether a notified status holds for the node: OFFLINE and NO IMPORTS are the node's status,
 * DWH OUTDATED its dwh-j2ee version below AKTIN.DWH_VERSION. `undefined`: cannot tell (a version
 * that is no PEP 440 version), so its tracking entry is left as it is.
 */
export function statusHolds(facts: NodeFacts, status: NotifiedStatus): boolean | undefined {
  if (status !== 'DWH OUTDATED') return facts.status === status;
  return facts.dwh.kind === 'invalid' ? undefined : facts.dwh.outdated;
}

/** A mail to compose: its kind and the values its template shows. */
export type PlannedMail = { [K in AlertKind]: { kind: K; values: AlertValues[K] } }[AlertKind];

/**
 * The alert for a status that holds, or why none can be written: an OFFLINE node that never had
 * contact has no date to name (the original crashes there).
 */
export function alertMail(
  facts: NodeFacts,
  status: NotifiedStatus,
  aktin: AktinSettings,
): PlannedMail | { skipped: string } {
  const clinic_name = facts.node.longName;
  if (status === 'OFFLINE') {
    const last_contact = lastContactDate(facts.history);
    if (last_contact === undefined) return { skipped: 'OFFLINE but never had contact: no date to mail' };
    return { kind: 'offline', values: { clinic_name, last_contact } };
  }
  if (status === 'NO IMPORTS') {
    const last_write = lastWriteDate(facts);
    if (last_write === undefined)
      return { skipped: 'NO IMPORTS but no import ever recorded: no date to mail' };
    return { kind: 'no-imports', values: { clinic_name, last_write } };
  }
  return {
    kind: 'outdated',
    values: {
      clinic_name,
      version_dwh: facts.dwhText,
      current_version_dwh: aktin.dwhVersion,
      current_version_i2b2: aktin.i2b2Version,
    },
  };
}

// The statuses that follow OFFLINE / NO IMPORTS in the rules' order: only they prove the node
// reachable / importing again. GAP IN MONITORING (our collector missed days) and TESTING say nothing.
const REACHABLE: readonly NodeStatusTitle[] = [
  'NO IMPORTS',
  'EXTREME ERROR RATE',
  'HIGH ERROR RATE',
  'LOW ERROR RATE',
  'ONLINE',
];
const IMPORTING: readonly NodeStatusTitle[] = REACHABLE.filter((status) => status !== 'NO IMPORTS');

/**
 * The recovery notice when a node whose clinic was alerted left OFFLINE / NO IMPORTS (SMTP.RECOVERY_MAILS);
 * undefined when the new status does not show a recovery (or for DWH OUTDATED, which has none).
 */
export function recoveryMail(facts: NodeFacts, status: NotifiedStatus): PlannedMail | undefined {
  const clinic_name = facts.node.longName;
  if (status === 'OFFLINE' && REACHABLE.includes(facts.status)) {
    const last_contact = lastContactDate(facts.history);
    return last_contact === undefined
      ? undefined
      : { kind: 'recovered-offline', values: { clinic_name, last_contact } };
  }
  if (status === 'NO IMPORTS' && IMPORTING.includes(facts.status)) {
    const last_write = lastWriteDate(facts);
    return last_write === undefined
      ? undefined
      : { kind: 'recovered-imports', values: { clinic_name, last_write } };
  }
  return undefined;
}

/** The last row's last contact as the page shows it; **[new]** else the last one recorded before it. */
function lastContactDate(history: readonly StatsRow[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const row = history[i];
    const date = row === undefined ? undefined : offlineMailDate(row);
    if (date !== undefined) return date;
  }
  return undefined;
}

/** As the original, from this year's CSV; **[new]** from the whole history when this year has no write (January). */
function lastWriteDate(facts: NodeFacts): string | undefined {
  return noImportsMailDate(facts.currentYear) ?? noImportsMailDate(facts.history);
}
