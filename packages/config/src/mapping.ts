import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { ConfigError, describeFound } from './errors.js';

/** ROOT or FORMAT ids of a clinic; "changeme" where the mapping has none. */
export interface ClinicIds {
  patient: string;
  encounter: string;
  billing: string;
}

/** One node of the mapping JSON with the defaults of SPEC §1 applied. */
export interface MappedNode {
  id: string;
  /** Title of the node's Confluence page. */
  commonName: string;
  longName: string;
  jiraLabels: string[];
  hospitalInformationSystem: string;
  importInterface: string;
  /** Hours without contact or write before OFFLINE / NO IMPORTS; default 72 as the running original. */
  thresholdHoursFailure: number;
  weeksNotificationInterval: number;
  consecutiveImportDays: number;
  root: ClinicIds;
  format: ClinicIds;
  /** NOTIFY: the kinds of mail this node's clinic gets; default every kind (ANOMALY only with SMTP.ANOMALY_MAILS). */
  notify: NotifyKind[];
  /** EXTRA_RECIPIENTS: addresses added in Cc to this node's mails. */
  extraRecipients: string[];
}

/** The mail kinds NOTIFY may list; ANOMALY is the opt-in import drop mail. */
export const NOTIFY_KINDS = ['OFFLINE', 'NO IMPORTS', 'DWH OUTDATED', 'ANOMALY'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

/** A node whose entry cannot be used; the other nodes are unaffected (SPEC §6: that node fails). */
export interface NodeMappingProblem {
  nodeId: string;
  message: string;
}

export interface NodeMapping {
  file: string;
  /** Valid nodes, in the file's order. */
  nodes: MappedNode[];
  problems: NodeMappingProblem[];
  /** Unknown keys, each named once. */
  warnings: string[];
}

export const MAPPING_DEFAULTS = {
  thresholdHoursFailure: 72,
  weeksNotificationInterval: 1,
  consecutiveImportDays: 3,
  text: 'changeme',
  // Every kind: ANOMALY mails go only where SMTP.ANOMALY_MAILS switches them on, NOTIFY opts a node out.
  notify: NOTIFY_KINDS as readonly NotifyKind[],
} as const;

/** One address: something@domain, no blanks or separators (a list in one string is a mistake). */
const ADDRESS = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;

const text = v.nullish(v.string());
const count = v.nullish(v.pipe(v.number(), v.minValue(0)));
const ids = v.nullish(v.record(v.string(), v.string()));

/** The known keys of a node entry and what each accepts. */
const NODE_KEYS: Record<string, { schema: v.GenericSchema; expected: string }> = {
  COMMON_NAME: { schema: v.pipe(v.string(), v.nonEmpty()), expected: 'a non-empty string' },
  LONG_NAME: { schema: text, expected: 'a string' },
  JIRA_LABELS: { schema: v.nullish(v.array(v.string())), expected: 'a list of strings' },
  HOSPITAL_INFORMATION_SYSTEM: { schema: text, expected: 'a string' },
  IMPORT_INTERFACE: { schema: text, expected: 'a string' },
  THRESHOLD_HOURS_FAILURE: { schema: count, expected: 'a number ≥ 0 (0 means the default)' },
  WEEKS_NOTIFICATION_INTERVAL: { schema: count, expected: 'a number ≥ 0 (0 means the default)' },
  CONSECUTIVE_IMPORT_DAYS: {
    schema: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(0))),
    expected: 'a whole number ≥ 0 (0 means the default)',
  },
  ROOT: { schema: ids, expected: 'an object of strings (PATIENT, ENCOUNTER, BILLING)' },
  FORMAT: { schema: ids, expected: 'an object of strings (PATIENT, ENCOUNTER, BILLING)' },
  NOTIFY: {
    schema: v.nullish(v.array(v.picklist(NOTIFY_KINDS))),
    expected: `a list of ${NOTIFY_KINDS.map((kind) => `"${kind}"`).join(', ')}`,
  },
  EXTRA_RECIPIENTS: {
    schema: v.nullish(v.array(v.pipe(v.string(), v.regex(ADDRESS)))),
    expected: 'a list of e-mail addresses',
  },
};
const ID_KEYS = ['PATIENT', 'ENCOUNTER', 'BILLING'] as const;

/** Reads the node mapping JSON. Not JSON or not an object: `ConfigError` (exit 2); a bad node: a problem of that node. */
export async function loadNodeMapping(path: string): Promise<NodeMapping> {
  const file = resolve(path);
  let textContent: string;
  try {
    textContent = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      file,
      [
        {
          path: 'CONFLUENCE.MAPPING_JSON',
          message: code === 'ENOENT' ? 'file not found' : `cannot read (${code})`,
        },
      ],
      'cannot load node mapping',
    );
  }
  return parseNodeMapping(textContent, file);
}

export function parseNodeMapping(content: string, file: string): NodeMapping {
  let data: unknown;
  try {
    data = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(
      file,
      [{ path: '', message: `not valid JSON: ${(error as Error).message}` }],
      'cannot load node mapping',
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(
      file,
      [{ path: '', message: `expected a JSON object keyed by node id, found ${describeFound(data, false)}` }],
      'cannot load node mapping',
    );
  }
  const mapping: NodeMapping = { file, nodes: [], problems: [], warnings: [] };
  const warned = new Set<string>();
  const entries = data as Record<string, unknown>;
  for (const id of topLevelKeys(content)) {
    const entry = entries[id];
    const result = readNode(id, entry, (key) => {
      if (warned.has(key)) return;
      warned.add(key);
      mapping.warnings.push(`${file}: unknown key ${key} (first seen at node ${id}; ignored)`);
    });
    if ('message' in result)
      mapping.problems.push({ nodeId: id, message: `${file}: node ${id}: ${result.message}` });
    else mapping.nodes.push(result);
  }
  return mapping;
}

/**
 * The keys of the top-level object in file order. Node ids are digit strings, which JavaScript
 * objects would put in numeric order, while the original (a Python dict) keeps the file's order.
 * Called only on text that JSON.parse accepted.
 */
function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      if (depth === 1 && /^\s*:/.test(json.slice(end + 1, end + 20))) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (!keys.includes(key)) keys.push(key);
      }
      i = end;
    }
  }
  return keys;
}

function readNode(
  id: string,
  entry: unknown,
  warnUnknown: (key: string) => void,
): MappedNode | { message: string } {
  if (!/^\d+$/.test(id)) return { message: 'node ids must be digits' };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { message: `expected an object, found ${describeFound(entry, false)}` };
  }
  const node = entry as Record<string, unknown>;
  const errors: string[] = [];
  for (const [key, { schema, expected }] of Object.entries(NODE_KEYS)) {
    if (!v.safeParse(schema, node[key]).success) {
      errors.push(
        node[key] === undefined
          ? `${key} is missing`
          : `${key}: expected ${expected}, found ${describeFound(node[key], false)}`,
      );
    }
  }
  for (const key of Object.keys(node)) if (!(key in NODE_KEYS)) warnUnknown(key);
  for (const group of ['ROOT', 'FORMAT'] as const) {
    const value = node[group];
    if (value && typeof value === 'object') {
      for (const key of Object.keys(value))
        if (!(ID_KEYS as readonly string[]).includes(key)) warnUnknown(`${group}.${key}`);
    }
  }
  if (errors.length > 0) return { message: errors.join('; ') };

  // The original treats every falsy value (null, "", 0) as "not set".
  const textOf = (key: string) => (node[key] as string | null | undefined) || MAPPING_DEFAULTS.text;
  const numberOf = (key: string, fallback: number) => (node[key] as number | null | undefined) || fallback;
  const idsOf = (key: string): ClinicIds => {
    const group = (node[key] ?? {}) as Record<string, string>;
    const pick = (k: string) => group[k] ?? MAPPING_DEFAULTS.text;
    return { patient: pick('PATIENT'), encounter: pick('ENCOUNTER'), billing: pick('BILLING') };
  };
  return {
    id,
    commonName: node.COMMON_NAME as string,
    longName: textOf('LONG_NAME'),
    jiraLabels: (node.JIRA_LABELS as string[] | null | undefined) ?? [],
    hospitalInformationSystem: textOf('HOSPITAL_INFORMATION_SYSTEM'),
    importInterface: textOf('IMPORT_INTERFACE'),
    thresholdHoursFailure: numberOf('THRESHOLD_HOURS_FAILURE', MAPPING_DEFAULTS.thresholdHoursFailure),
    weeksNotificationInterval: numberOf(
      'WEEKS_NOTIFICATION_INTERVAL',
      MAPPING_DEFAULTS.weeksNotificationInterval,
    ),
    consecutiveImportDays: numberOf('CONSECUTIVE_IMPORT_DAYS', MAPPING_DEFAULTS.consecutiveImportDays),
    root: idsOf('ROOT'),
    format: idsOf('FORMAT'),
    notify: [...((node.NOTIFY as NotifyKind[] | null | undefined) ?? MAPPING_DEFAULTS.notify)],
    extraRecipients: (node.EXTRA_RECIPIENTS as string[] | null | undefined) ?? [],
  };
}
