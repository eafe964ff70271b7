import * as v from 'valibot';

/** How a key's value is read from TOML and from an environment variable. */
export type KeyKind = 'string' | 'secret' | 'positiveInteger' | 'positiveNumber' | 'boolean' | 'stringList';

export type SectionName = 'BROKER' | 'DIR' | 'CONFLUENCE' | 'SMTP' | 'AKTIN' | 'METRICS';

export interface KeySpec {
  section: SectionName;
  key: string;
  kind: KeyKind;
  default?: number | boolean | readonly string[];
}

/** Every key the apps know, Python-era keys and the optional keys of SPEC §6 alike. */
export const KEYS: readonly KeySpec[] = [
  { section: 'BROKER', key: 'URL', kind: 'string' },
  { section: 'BROKER', key: 'API_KEY', kind: 'secret' },
  { section: 'BROKER', key: 'CONCURRENCY', kind: 'positiveInteger', default: 16 },
  { section: 'BROKER', key: 'TIMEOUT_SECONDS', kind: 'positiveNumber', default: 10 },
  { section: 'DIR', key: 'WORKING', kind: 'string' },
  { section: 'DIR', key: 'RESOURCES', kind: 'string' },
  { section: 'DIR', key: 'CONTACTS', kind: 'string' },
  { section: 'CONFLUENCE', key: 'URL', kind: 'string' },
  { section: 'CONFLUENCE', key: 'SPACE', kind: 'string' },
  { section: 'CONFLUENCE', key: 'TOKEN', kind: 'secret' },
  { section: 'CONFLUENCE', key: 'EMAIL', kind: 'string' },
  { section: 'CONFLUENCE', key: 'MAPPING_JSON', kind: 'string' },
  { section: 'CONFLUENCE', key: 'CONCURRENCY', kind: 'positiveInteger', default: 8 },
  { section: 'CONFLUENCE', key: 'TIMEOUT_SECONDS', kind: 'positiveNumber', default: 30 },
  { section: 'SMTP', key: 'SERVER', kind: 'string' },
  { section: 'SMTP', key: 'USERNAME', kind: 'string' },
  { section: 'SMTP', key: 'PASSWORD', kind: 'secret' },
  { section: 'SMTP', key: 'STATIC_RECIPIENTS', kind: 'stringList', default: [] },
  { section: 'SMTP', key: 'STARTTLS', kind: 'boolean', default: false },
  { section: 'SMTP', key: 'TLS_VERIFY', kind: 'boolean', default: true },
  { section: 'SMTP', key: 'RECOVERY_MAILS', kind: 'boolean', default: false },
  { section: 'AKTIN', key: 'DWH_VERSION', kind: 'string' },
  { section: 'AKTIN', key: 'I2B2_VERSION', kind: 'string' },
  { section: 'METRICS', key: 'TEXTFILE_DIR', kind: 'string' },
];

export const TOP_LEVEL_KEYS = ['REQUESTS_CA_BUNDLE'] as const;

/** What each kind accepts, with the wording used in error messages. */
export const KIND_SCHEMAS: Record<KeyKind, { schema: v.GenericSchema; expected: string }> = {
  string: { schema: v.string(), expected: 'a string' },
  secret: { schema: v.string(), expected: 'a string' },
  positiveInteger: { schema: v.pipe(v.number(), v.integer(), v.minValue(1)), expected: 'a whole number ≥ 1' },
  positiveNumber: { schema: v.pipe(v.number(), v.gtValue(0)), expected: 'a number > 0' },
  boolean: { schema: v.boolean(), expected: 'true or false' },
  stringList: { schema: v.array(v.string()), expected: 'a list of strings' },
};

/** `BROKER_MONITOR_<SCOPE>_<KEY>`: the environment variable that overrides a key. */
export function envName(section: SectionName | undefined, key: string): string {
  return section ? `BROKER_MONITOR_${section}_${key}` : `BROKER_MONITOR_${key}`;
}

/** Turns an environment variable's text into the value its key expects (or leaves it for the schema to reject). */
export function parseEnvValue(kind: KeyKind, text: string): unknown {
  switch (kind) {
    case 'positiveInteger':
    case 'positiveNumber':
      return text.trim() === '' ? text : Number(text);
    case 'boolean':
      return ({ true: true, false: false } as Record<string, boolean>)[text.trim().toLowerCase()] ?? text;
    case 'stringList':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    default:
      return text;
  }
}
