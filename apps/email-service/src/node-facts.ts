/*
 * What the e-mail service knows about one node at mail time: read from the store and judged with
 * the reporter's own rules (status-rules), so a mail never disagrees with the node's page.
 */
import type { AktinSettings, MappedNode } from '@broker-monitor/config';
import type { Store } from '@broker-monitor/csv-store';
import type { AlertKind, AlertValues } from '@broker-monitor/mailer';
import {
  type DwhVersionCheck,
  isDwhOutdated,
  judgeNode,
  type NodeJudgement,
  type NodeStatusTitle,
  pageResources,
} from '@broker-monitor/status-rules';
import type { NotifiedStatus } from './notify-node.js';

export interface NodeFacts {
  node: MappedNode;
  /** The reporter's judgement of the node at mail time. */
  judged: NodeJudgement;
  /** The node's dwh-j2ee text as its page shows it (`-` when unknown). */
  dwhText: string;
  dwh: DwhVersionCheck;
}

/** Why a node gets no evaluation at all; states of the node, not failures (SPEC §6). */
export type NodeAbsence = 'no-folder' | 'no-stats';

/**
 * Reads a node's stats and versions and judges it at `now`. Throws BrokenFileError or
 * InvalidTimestampError for a broken file: that node fails.
 */
export async function readNodeFacts(
  store: Store,
  node: MappedNode,
  now: Date,
  /** AKTIN.DWH_VERSION, the released version nodes are compared with. */
  dwhVersion: string,
): Promise<NodeFacts | NodeAbsence> {
  if (!(await store.hasNode(node.id))) return 'no-folder';
  const judged = judgeNode(await store.readHistory(node.id, now), node, now, (year, index) =>
    store.statsRowLocation(node.id, year, index),
  );
  if (judged === undefined) return 'no-stats';
  const dwhText = pageResources(await store.readResources(node.id)).versions['dwh-j2ee'];
  return { node, judged, dwhText, dwh: isDwhOutdated(dwhText, dwhVersion) };
}

/**
 * Whether a notified status holds for the node: OFFLINE and NO IMPORTS are the node's status,
 * DWH OUTDATED its dwh-j2ee version below AKTIN.DWH_VERSION, ANOMALY the page's import drop note
 * (which only a reachable, importing node with a row of today can have). `undefined`: cannot tell
 * (a version that is no PEP 440 version), so its tracking entry is left as it is.
 */
export function statusHolds(facts: NodeFacts, status: NotifiedStatus): boolean | undefined {
  if (status === 'ANOMALY') return facts.judged.importDrop !== undefined;
  if (status !== 'DWH OUTDATED') return facts.judged.status.title === status;
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
  now: Date,
): PlannedMail | { skipped: string } {
  const clinic_name = facts.node.longName;
  if (status === 'ANOMALY') {
    const drop = facts.judged.importDrop;
    if (drop === undefined) return { skipped: 'ANOMALY without an import drop: nothing to mail' };
    return {
      kind: 'anomaly',
      values: {
        clinic_name,
        day: BERLIN_DAY.format(now),
        // Whole numbers, as the page's note shows them.
        imports_today: String(Math.round(drop.today)),
        imports_usual: String(Math.round(drop.usual)),
      },
    };
  }
  if (status === 'OFFLINE') {
    const last_contact = facts.judged.mail.lastContact;
    if (last_contact === undefined) return { skipped: 'OFFLINE but never had contact: no date to mail' };
    return { kind: 'offline', values: { clinic_name, last_contact } };
  }
  if (status === 'NO IMPORTS') {
    const last_write = facts.judged.mail.lastWrite;
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

/** `DD.MM.YYYY` of the run's day in Europe/Berlin, as the other mails write their dates. */
const BERLIN_DAY = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

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
 * undefined when the new status does not show a recovery, and for DWH OUTDATED and ANOMALY, which
 * have none (a drop ends as often through OFFLINE or NO IMPORTS, which mail for themselves, as
 * through normal imports).
 */
export function recoveryMail(facts: NodeFacts, status: NotifiedStatus): PlannedMail | undefined {
  const clinic_name = facts.node.longName;
  const { title } = facts.judged.status;
  if (status === 'OFFLINE' && REACHABLE.includes(title)) {
    const last_contact = facts.judged.mail.lastContact;
    return last_contact === undefined
      ? undefined
      : { kind: 'recovered-offline', values: { clinic_name, last_contact } };
  }
  if (status === 'NO IMPORTS' && IMPORTING.includes(title)) {
    const last_write = facts.judged.mail.lastWrite;
    return last_write === undefined
      ? undefined
      : { kind: 'recovered-imports', values: { clinic_name, last_write } };
  }
  return undefined;
}
