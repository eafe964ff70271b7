import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { MailComposeError } from './errors.js';

export const ALERT_KINDS = [
  'offline',
  'no-imports',
  'outdated',
  'recovered-offline',
  'recovered-imports',
  'anomaly',
] as const;

/**
 * The mails the e-mail service sends: three alerts (SPEC §4), two optional recovery notices and the
 * optional anomaly mail (an unusual import drop).
 */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The values each kind of mail shows, named as the Python templates' `${…}` placeholders; dates as DD.MM.YYYY. */
export interface AlertValues {
  offline: { clinic_name: string; last_contact: string };
  'no-imports': { clinic_name: string; last_write: string };
  outdated: {
    clinic_name: string;
    /** The node's dwh-j2ee text as shown on its page, e.g. `dwh-j2ee-1.5.1rc1`. */
    version_dwh: string;
    current_version_dwh: string;
    current_version_i2b2: string;
  };
  'recovered-offline': { clinic_name: string; last_contact: string };
  'recovered-imports': { clinic_name: string; last_write: string };
  /** Today's imports far below the node's usual: both figures as whole numbers, `day` the run's day. */
  anomaly: { clinic_name: string; day: string; imports_today: string; imports_usual: string };
}

const REQUIRED_VALUES: { [K in AlertKind]: ReadonlyArray<keyof AlertValues[K] & string> } = {
  offline: ['clinic_name', 'last_contact'],
  'no-imports': ['clinic_name', 'last_write'],
  outdated: ['clinic_name', 'version_dwh', 'current_version_dwh', 'current_version_i2b2'],
  'recovered-offline': ['clinic_name', 'last_contact'],
  'recovered-imports': ['clinic_name', 'last_write'],
  anomaly: ['clinic_name', 'day', 'imports_today', 'imports_usual'],
};

/** The Python version's file names in DIR.RESOURCES; it had no recovery or anomaly mails. */
export const PYTHON_TEMPLATE_FILES: Readonly<Partial<Record<AlertKind, string>>> = {
  offline: 'template_mail_offline.html',
  'no-imports': 'template_mail_no_imports.html',
  outdated: 'template_mail_outdated_version.html',
};

export interface MailTemplates {
  /** Per kind, where its template came from: `shipped`, or the path of a Python-era file in templatesDir. */
  readonly sources: Readonly<Record<AlertKind, string>>;
  /** The HTML body of a mail; every value is HTML-escaped. Throws MailComposeError for a missing value. */
  renderHtml<K extends AlertKind>(kind: K, values: AlertValues[K]): string;
}

type Render = (values: Record<string, string>) => string;

const SHIPPED_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Python-era files are ISO-8859-1; a file the team re-saved as UTF-8 is taken as UTF-8 instead of
 * turning every umlaut into two characters. windows-1252 is the superset mail clients apply to
 * ISO-8859-1 anyway (so „quotes“ typed on Windows survive).
 */
function decodeLegacyTemplate(bytes: Buffer): string {
  if (bytes.some((byte) => byte >= 0x80)) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // not UTF-8: the ISO-8859-1 the Python version wrote
    }
  }
  return new TextDecoder('windows-1252').decode(bytes);
}

/** `${name}` placeholders, every occurrence, values escaped; unknown names stay visible for the team to notice. */
function legacyRender(template: string): Render {
  // We send UTF-8, so a charset the file declared for itself must not contradict the MIME header.
  const utf8 = template.replace(/(<meta\b[^>]*\bcharset\s*=\s*["']?)[\w-]+/gi, '$1utf-8');
  return (values) =>
    utf8.replace(/\$\{(\w+)\}/g, (placeholder, name: string) =>
      Object.hasOwn(values, name) ? escapeHtml(values[name] ?? '') : placeholder,
    );
}

function readTemplate(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw new MailComposeError(`mail template ${path} cannot be read: ${String(error)}`);
  }
}

function shippedRenders(): Record<AlertKind, Render> {
  const handlebars = Handlebars.create();
  const partialsDir = join(SHIPPED_DIR, 'partials');
  for (const file of readdirSync(partialsDir)) {
    if (file.endsWith('.hbs')) {
      handlebars.registerPartial(
        file.slice(0, -'.hbs'.length),
        readFileSync(join(partialsDir, file), 'utf8'),
      );
    }
  }
  const compile = (kind: AlertKind): Render =>
    handlebars.compile(readFileSync(join(SHIPPED_DIR, `${kind}.hbs`), 'utf8'), { strict: true });
  return {
    offline: compile('offline'),
    'no-imports': compile('no-imports'),
    outdated: compile('outdated'),
    'recovered-offline': compile('recovered-offline'),
    'recovered-imports': compile('recovered-imports'),
    anomaly: compile('anomaly'),
  };
}

/**
 * Loads the shipped handlebars templates and, for each kind whose Python-era file (`template_mail_*.html`)
 * exists in `templatesDir` (DIR.RESOURCES), that file instead. Reads files synchronously: call it once
 * per run. A missing folder or file means "shipped"; an unreadable one throws MailComposeError.
 */
export function loadMailTemplates(templatesDir?: string): MailTemplates {
  const renders = shippedRenders();
  const sources: Record<AlertKind, string> = {
    offline: 'shipped',
    'no-imports': 'shipped',
    outdated: 'shipped',
    'recovered-offline': 'shipped',
    'recovered-imports': 'shipped',
    anomaly: 'shipped',
  };
  if (templatesDir !== undefined) {
    for (const kind of ALERT_KINDS) {
      const file = PYTHON_TEMPLATE_FILES[kind];
      if (file === undefined) continue;
      const path = join(templatesDir, file);
      const bytes = readTemplate(path);
      if (bytes === undefined) continue;
      renders[kind] = legacyRender(decodeLegacyTemplate(bytes));
      sources[kind] = path;
    }
  }
  return {
    sources,
    renderHtml(kind, values) {
      const record: Record<string, string> = {};
      for (const name of REQUIRED_VALUES[kind]) {
        const value: unknown = values[name];
        if (typeof value !== 'string') {
          throw new MailComposeError(`the ${kind} mail needs the value ${name} (a string)`);
        }
        record[name] = value;
      }
      return renders[kind](record);
    },
  };
}
