import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import * as v from 'valibot';
import { ConfigError, type ConfigIssue, describeFound } from './errors.js';
import {
  envName,
  KEYS,
  type KeyKind,
  type KeySpec,
  KIND_SCHEMAS,
  parseEnvValue,
  type SectionName,
  serverAddressProblem,
  TOP_LEVEL_KEYS,
} from './keys.js';

export interface BrokerSettings {
  url: string;
  apiKey: string;
  concurrency: number;
  timeoutSeconds: number;
}

export interface DirSettings {
  working: string;
  resources?: string;
  contacts?: string;
}

export interface ConfluenceSettings {
  /** Absent: no Confluence server, the reporter writes the local HTML report. */
  url?: string;
  space?: string;
  token?: string;
  /** Set: Confluence Cloud (basic auth EMAIL + TOKEN); absent: Data Center bearer token. */
  email?: string;
  mappingJson: string;
  concurrency: number;
  timeoutSeconds: number;
}

export interface SmtpSettings {
  server: string;
  username: string;
  password: string;
  staticRecipients: string[];
  startTls: boolean;
  tlsVerify: boolean;
  recoveryMails: boolean;
  /** Who gets the weekly digest (`--digest`); absent: STATIC_RECIPIENTS. */
  digestRecipients?: string[];
  /** Mail a clinic whose imports dropped unusually (the page's `Importe auffällig niedrig` note). */
  anomalyMails: boolean;
}

export interface AktinSettings {
  dwhVersion: string;
  i2b2Version: string;
}

export interface MetricsSettings {
  /** Folder of node_exporter's textfile collector; absent: the app writes no metrics. */
  textfileDir?: string;
}

interface Sections {
  broker: BrokerSettings;
  dir: DirSettings;
  confluence: ConfluenceSettings;
  smtp: SmtpSettings;
  aktin: AktinSettings;
  metrics: MetricsSettings;
}

export type AppName = 'node-to-csv' | 'csv-to-confluence' | 'email-service' | 'file-backup-service';

interface AppNeeds {
  sections: readonly (keyof Sections)[];
  /** Keys that must have a value; `CONFLUENCE.URL?` style conditions are handled in `conditionalIssues`. */
  required: readonly string[];
  /** Optional keys read from a section the app does not otherwise need. */
  alsoReads?: readonly string[];
}

/** SPEC §6: which sections and keys each app needs; the others are not looked at. */
const APP_NEEDS: Record<AppName, AppNeeds> = {
  'node-to-csv': {
    sections: ['broker', 'dir', 'metrics'],
    required: ['BROKER.URL', 'BROKER.API_KEY', 'DIR.WORKING'],
    // The mapping only names the nodes in the collector's metrics; the collector works without it.
    alsoReads: ['CONFLUENCE.MAPPING_JSON'],
  },
  'csv-to-confluence': {
    sections: ['dir', 'confluence', 'metrics'],
    required: ['DIR.WORKING', 'CONFLUENCE.MAPPING_JSON'],
  },
  'email-service': {
    sections: ['dir', 'confluence', 'smtp', 'aktin', 'metrics'],
    required: [
      'DIR.WORKING',
      'CONFLUENCE.MAPPING_JSON',
      'SMTP.SERVER',
      'SMTP.USERNAME',
      'SMTP.PASSWORD',
      'AKTIN.DWH_VERSION',
      'AKTIN.I2B2_VERSION',
    ],
  },
  'file-backup-service': {
    sections: ['dir', 'confluence', 'metrics'],
    required: [
      'DIR.WORKING',
      'CONFLUENCE.URL',
      'CONFLUENCE.SPACE',
      'CONFLUENCE.TOKEN',
      'CONFLUENCE.MAPPING_JSON',
    ],
  },
};

type SectionsOf<A extends AppName> = A extends 'node-to-csv'
  ? 'broker' | 'dir' | 'metrics'
  : A extends 'csv-to-confluence' | 'file-backup-service'
    ? 'dir' | 'confluence' | 'metrics'
    : 'dir' | 'confluence' | 'smtp' | 'aktin' | 'metrics';

/** The validated config of one app: only the sections that app needs. */
export type AppConfig<A extends AppName> = {
  /** Absolute path of the TOML file. */
  file: string;
  /** CA bundle (PEM) added to Node's root certificates for every HTTPS/TLS client. */
  requestsCaBundle?: string;
  /** Problems that do not stop the app, e.g. unknown keys. */
  warnings: string[];
} & { [S in SectionsOf<A>]: Sections[S] } & (A extends 'node-to-csv'
    ? { confluence?: Pick<ConfluenceSettings, 'mappingJson'> }
    : unknown);

export interface LoadConfigOptions {
  /** Where `BROKER_MONITOR_*` overrides are read; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

const camel = (key: string): string =>
  key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const SECTION_NAMES: Record<keyof Sections, SectionName> = {
  broker: 'BROKER',
  dir: 'DIR',
  confluence: 'CONFLUENCE',
  smtp: 'SMTP',
  aktin: 'AKTIN',
  metrics: 'METRICS',
};
/** Our camelCase names differ from a mechanical conversion only here. */
const FIELD_NAMES: Record<string, string> = { 'SMTP.STARTTLS': 'startTls' };

/**
 * Reads and validates the TOML config for one app. Every problem is reported at once in a
 * `ConfigError` naming the file and key paths; a Python-era config loads unchanged.
 */
export async function loadConfig<A extends AppName>(
  path: string,
  app: A,
  options: LoadConfigOptions = {},
): Promise<AppConfig<A>> {
  const file = resolve(path);
  const env = options.env ?? process.env;
  const raw = await readToml(file);
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const needs = APP_NEEDS[app];
  const neededSections = needs.sections.map((s) => SECTION_NAMES[s]);

  for (const [name, value] of Object.entries(raw)) {
    const known =
      KEYS.some((k) => k.section === name) || (TOP_LEVEL_KEYS as readonly string[]).includes(name);
    if (!known) warnings.push(unknownTopLevelWarning(name, value, file));
    else if (neededSections.includes(name as SectionName) && !isTable(value)) {
      issues.push({
        path: name,
        message: `expected a [${name}] section, found ${describeFound(value, false)}`,
      });
    }
  }

  const values = new Map<string, unknown>();
  for (const section of neededSections) {
    const table = isTable(raw[section]) ? raw[section] : {};
    for (const key of Object.keys(table)) {
      if (!KEYS.some((k) => k.section === section && k.key === key)) {
        warnings.push(`unknown key ${section}.${key} in ${file} (ignored)`);
      }
    }
    for (const spec of KEYS.filter((k) => k.section === section)) {
      const path = `${section}.${spec.key}`;
      const value = readValue(spec.kind, table[spec.key], env, envName(section, spec.key), path, issues);
      if (value !== undefined) values.set(`${section}.${spec.key}`, value);
    }
  }
  for (const path of needs.alsoReads ?? []) {
    const [section, key] = splitPath(path);
    const spec = KEYS.find((k) => k.section === section && k.key === key) as KeySpec;
    const table = isTable(raw[section]) ? raw[section] : {};
    // Such a key only adds to what the app does: a wrong value is ignored with a warning.
    const problems: ConfigIssue[] = [];
    const value = readValue(spec.kind, table[key], env, envName(section, key), path, problems);
    if (value !== undefined) values.set(path, value);
    for (const problem of problems) warnings.push(`${problem.path}: ${problem.message} (ignored)`);
  }
  const caBundle = readValue(
    'string',
    raw.REQUESTS_CA_BUNDLE,
    env,
    envName(undefined, 'REQUESTS_CA_BUNDLE'),
    'REQUESTS_CA_BUNDLE',
    issues,
  );

  for (const path of needs.required) {
    if (!values.has(path) && !issues.some((i) => i.path === path)) {
      issues.push({ path, message: `missing (needed by ${app}; or set ${envName(...splitPath(path))})` });
    }
  }
  issues.push(...conditionalIssues(app, values));
  if (typeof caBundle === 'string') {
    await access(caBundle).catch(() =>
      issues.push({ path: 'REQUESTS_CA_BUNDLE', message: `file ${caBundle} not found or not readable` }),
    );
  }
  if (issues.length > 0) throw new ConfigError(file, issues, undefined, warnings);

  const config: Record<string, unknown> = { file, warnings };
  if (typeof caBundle === 'string') config.requestsCaBundle = caBundle;
  for (const section of needs.sections) {
    const name = SECTION_NAMES[section];
    const settings: Record<string, unknown> = {};
    for (const spec of KEYS.filter((k) => k.section === name)) {
      const value = values.get(`${name}.${spec.key}`) ?? spec.default;
      if (value !== undefined) settings[FIELD_NAMES[`${name}.${spec.key}`] ?? camel(spec.key)] = value;
    }
    config[section] = settings;
  }
  if (app === 'node-to-csv' && values.has('CONFLUENCE.MAPPING_JSON')) {
    config.confluence = { mappingJson: values.get('CONFLUENCE.MAPPING_JSON') };
  }
  return config as AppConfig<A>;
}

/**
 * The `[METRICS]` settings alone, for the run around an app: read even when the rest of the
 * config is unusable (exit 2), so that such a run still writes its metrics. Never throws: a
 * file that cannot be read, or a TEXTFILE_DIR that is not a string, means no metrics (loadConfig
 * reports the problem).
 */
export async function loadMetricsSettings(
  path: string,
  options: LoadConfigOptions = {},
): Promise<MetricsSettings> {
  const textfileDir = await readOneString(path, 'METRICS', 'TEXTFILE_DIR', options);
  return textfileDir === undefined ? {} : { textfileDir };
}

/**
 * CONFLUENCE.MAPPING_JSON alone, whatever the app: on a terminal the run names each node it
 * reports. Never throws: an unreadable file or a value that is not a string gives undefined.
 */
export async function loadMappingPath(
  path: string,
  options: LoadConfigOptions = {},
): Promise<string | undefined> {
  return readOneString(path, 'CONFLUENCE', 'MAPPING_JSON', options);
}

async function readOneString(
  path: string,
  section: SectionName,
  key: string,
  options: LoadConfigOptions,
): Promise<string | undefined> {
  const raw = await readToml(resolve(path)).catch(() => undefined);
  const scope = raw?.[section];
  const table = isTable(scope) ? scope : {};
  const value = readValue(
    'string',
    table[key],
    options.env ?? process.env,
    envName(section, key),
    `${section}.${key}`,
    [],
  );
  return typeof value === 'string' ? value : undefined;
}

async function readToml(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code})`;
    throw new ConfigError(file, [{ path: '', message: why }], 'cannot load config');
  }
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0] ?? 'syntax error';
      throw new ConfigError(
        file,
        [{ path: '', message: `TOML syntax error at line ${error.line}, column ${error.column}: ${reason}` }],
        'cannot load config',
      );
    }
    throw error;
  }
}

/** The value of one key: its environment override if set, else the file's; empty strings count as absent. */
function readValue(
  kind: KeyKind,
  fileValue: unknown,
  env: Record<string, string | undefined>,
  variable: string,
  path: string,
  issues: ConfigIssue[],
): unknown {
  const envText = env[variable];
  const fromEnv = envText !== undefined && envText !== '';
  const value = fromEnv ? parseEnvValue(kind, envText) : fileValue;
  if (value === undefined || value === '') return undefined;
  const { schema, expected } = KIND_SCHEMAS[kind];
  const where = fromEnv ? ` (from ${variable})` : '';
  if (!v.safeParse(schema, value).success) {
    issues.push({
      path,
      message: `expected ${expected}, found ${describeFound(value, kind === 'secret')}${where}`,
    });
    return undefined;
  }
  const addressProblem = serverAddressProblem(kind, path, value as string);
  if (addressProblem === undefined) return value;
  issues.push({ path, message: `${addressProblem}${where}` });
  return undefined;
}

/** Keys whose need depends on other keys. */
function conditionalIssues(app: AppName, values: Map<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const needsServer =
    app === 'csv-to-confluence'
      ? values.has('CONFLUENCE.URL')
      : app === 'email-service'
        ? !values.has('DIR.CONTACTS') || values.has('CONFLUENCE.URL')
        : false;
  if (needsServer) {
    const why =
      app === 'email-service' && !values.has('DIR.CONTACTS')
        ? 'needed by email-service to read the E-Mail-Verteiler page unless DIR.CONTACTS is set'
        : 'needed when CONFLUENCE.URL is set';
    for (const key of ['CONFLUENCE.URL', 'CONFLUENCE.SPACE', 'CONFLUENCE.TOKEN']) {
      if (!values.has(key)) issues.push({ path: key, message: `missing (${why})` });
    }
  }
  return issues;
}

/** An unknown top-level name: a mistyped section such as `[SMPT]` gets the section it likely means. */
function unknownTopLevelWarning(name: string, value: unknown, file: string): string {
  if (!isTable(value)) return `unknown key ${name} in ${file} (ignored)`;
  const sameLetters = (a: string) => [...a.toUpperCase()].sort().join('');
  const meant = Object.values(SECTION_NAMES).find((section) => sameLetters(section) === sameLetters(name));
  return `unknown section [${name}] in ${file} (ignored${meant ? `; did you mean [${meant}]?` : ''})`;
}

function splitPath(path: string): [SectionName, string] {
  const [section, key] = path.split('.') as [SectionName, string];
  return [section, key];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
