import * as v from 'valibot';

/** How a key's value is read from TOML and from an environment variable. */
export type KeyKind =
  | 'string'
  | 'secret'
  | 'httpUrl'
  | 'mailServer'
  | 'positiveInteger'
  | 'positiveNumber'
  | 'boolean'
  | 'stringList';

export type SectionName = 'BROKER' | 'DIR' | 'CONFLUENCE' | 'SMTP' | 'AKTIN' | 'METRICS';

export interface KeySpec {
  section: SectionName;
  key: string;
  kind: KeyKind;
  default?: number | boolean | readonly string[];
}

/** Every key the apps know, Python-era keys and the optional keys of SPEC §6 alike. */
export const KEYS: readonly KeySpec[] = [
  { section: 'BROKER', key: 'URL', kind: 'httpUrl' },
  { section: 'BROKER', key: 'API_KEY', kind: 'secret' },
  { section: 'BROKER', key: 'CONCURRENCY', kind: 'positiveInteger', default: 16 },
  { section: 'BROKER', key: 'TIMEOUT_SECONDS', kind: 'positiveNumber', default: 10 },
  { section: 'DIR', key: 'WORKING', kind: 'string' },
  { section: 'DIR', key: 'RESOURCES', kind: 'string' },
  { section: 'DIR', key: 'CONTACTS', kind: 'string' },
  { section: 'CONFLUENCE', key: 'URL', kind: 'httpUrl' },
  { section: 'CONFLUENCE', key: 'SPACE', kind: 'string' },
  { section: 'CONFLUENCE', key: 'TOKEN', kind: 'secret' },
  { section: 'CONFLUENCE', key: 'EMAIL', kind: 'string' },
  { section: 'CONFLUENCE', key: 'MAPPING_JSON', kind: 'string' },
  { section: 'CONFLUENCE', key: 'CONCURRENCY', kind: 'positiveInteger', default: 8 },
  { section: 'CONFLUENCE', key: 'TIMEOUT_SECONDS', kind: 'positiveNumber', default: 30 },
  { section: 'SMTP', key: 'SERVER', kind: 'mailServer' },
  { section: 'SMTP', key: 'USERNAME', kind: 'string' },
  { section: 'SMTP', key: 'PASSWORD', kind: 'secret' },
  { section: 'SMTP', key: 'STATIC_RECIPIENTS', kind: 'stringList', default: [] },
  { section: 'SMTP', key: 'STARTTLS', kind: 'boolean', default: false },
  { section: 'SMTP', key: 'TLS_VERIFY', kind: 'boolean', default: true },
  { section: 'SMTP', key: 'RECOVERY_MAILS', kind: 'boolean', default: false },
  { section: 'SMTP', key: 'DIGEST_RECIPIENTS', kind: 'stringList' },
  { section: 'SMTP', key: 'ANOMALY_MAILS', kind: 'boolean', default: false },
  { section: 'AKTIN', key: 'DWH_VERSION', kind: 'string' },
  { section: 'AKTIN', key: 'I2B2_VERSION', kind: 'string' },
  { section: 'METRICS', key: 'TEXTFILE_DIR', kind: 'string' },
];

export const TOP_LEVEL_KEYS = ['REQUESTS_CA_BUNDLE'] as const;

/** What each kind accepts, with the wording used in error messages. */
export const KIND_SCHEMAS: Record<KeyKind, { schema: v.GenericSchema; expected: string }> = {
  string: { schema: v.string(), expected: 'a string' },
  secret: { schema: v.string(), expected: 'a string' },
  httpUrl: { schema: v.string(), expected: 'a string' },
  mailServer: { schema: v.string(), expected: 'a string' },
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

/**
 * The Python example config's placeholder. SPEC §6: a placeholder is not rejected when the config
 * is loaded; the app reports it when it uses the value.
 */
const PLACEHOLDER = 'CHANGEME';

/** Where the credentials go that someone put inside a server address. */
const CREDENTIAL_KEYS: Record<string, string> = {
  'BROKER.URL': 'BROKER.API_KEY',
  'CONFLUENCE.URL': 'CONFLUENCE.TOKEN (and CONFLUENCE.EMAIL)',
  'SMTP.SERVER': 'SMTP.USERNAME and SMTP.PASSWORD',
};

/**
 * What is wrong with the form of a server address (a string already), or undefined when it is
 * usable. A value with an `@` is never quoted: it may hold a password.
 */
export function serverAddressProblem(kind: KeyKind, path: string, value: string): string | undefined {
  if ((kind !== 'httpUrl' && kind !== 'mailServer') || value === PLACEHOLDER) return undefined;
  const found = value.includes('@') ? 'a value with "@" (not shown)' : JSON.stringify(value);
  const withCredentials = `must not contain a user name or password; put them in ${CREDENTIAL_KEYS[path] ?? 'their own keys'}`;
  if (kind === 'httpUrl') {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url !== undefined && (url.username !== '' || url.password !== '')) return withCredentials;
    if (url?.protocol === 'http:' || url?.protocol === 'https:') return undefined;
    return `expected an http(s) URL such as https://server.example.org, found ${found}`;
  }
  if (value.includes('@')) return withCredentials;
  // Blanks around the address are dropped by the mailer, as before.
  const address = value.trim();
  const match =
    /^\[[0-9a-fA-F:.]+\](?::(\d{1,5}))?$/.exec(address) ?? /^[A-Za-z0-9._-]+(?::(\d{1,5}))?$/.exec(address);
  const port = match?.[1] === undefined ? undefined : Number(match[1]);
  if (match !== null && (port === undefined || (port >= 1 && port <= 65535))) return undefined;
  return `expected host or host:port such as mail.example.org:465, found ${found}`;
}
