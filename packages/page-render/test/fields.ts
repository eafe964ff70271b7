import { expect } from 'vitest';
import type { NodePageView } from '../src/types.js';
import { nodeView, STATUSES } from './views.js';
import { byClass, text, type XmlElement } from './xml.js';

type NodeField = readonly [string, (view: NodePageView) => string];

// Most classes of the page are named after the view's keys: these groups say so once.
const ID_PARTS = ['patient', 'encounter', 'billing'] as const;
const FIGURES = [
  ['imported', 'imported'],
  ['updated', 'updated'],
  ['invalid', 'invalid'],
  ['failed', 'failed'],
  ['error_rate', 'errorRate'],
] as const;
const VERSIONS = ['os', 'kernel', 'java', 'j2ee-impl', 'apache2', 'postgres', 'dwh-api', 'dwh-j2ee'] as const;
const SCRIPTS = ['rscript', 'python', 'import-scripts'] as const;

/** Every single-value field of a node page: class name → the view value it must show. */
export const NODE_FIELDS: readonly NodeField[] = [
  ['clinic_name', (v) => v.clinicName],
  ['information_system', (v) => v.informationSystem],
  ['interface_import', (v) => v.interfaceImport],
  ...ID_PARTS.flatMap((part): NodeField[] => [
    [`root_${part}`, (v) => v.root[part]],
    [`format_${part}`, (v) => v.format[part]],
  ]),
  ['last_check', (v) => v.lastCheck],
  ['last_contact', (v) => v.lastContact],
  ['last_start', (v) => v.lastStart],
  ['last_write', (v) => v.lastWrite],
  ['last_reject', (v) => v.lastReject],
  ...FIGURES.flatMap(([cls, key]): NodeField[] => [
    [cls, (v) => v.means[key]],
    [`daily_${cls}`, (v) => v.daily[key]],
  ]),
  ...VERSIONS.map((key): NodeField => [key, (v) => v.resources.versions[key]]),
  ...SCRIPTS.map((key): NodeField => [key, (v) => v.resources.scripts[key]]),
];

/** Text a page must not show as markup; contains what breaks XML, HTML and CDATA. */
export const HOSTILE = `<script>alert("x&y")</script> ]]> it's "quoted" & Größe ÄÖÜ 🚑 \u001b[31m \uD83D end`;
/** {@link HOSTILE} as it must arrive: characters XML forbids replaced by U+FFFD. */
export const HOSTILE_SHOWN = HOSTILE.replace('\u001b', '\uFFFD').replace('\uD83D ', '\uFFFD ');

/** A view whose every text field differs with `n`, so that a field shown in the wrong place is caught. */
export function distinctValues(n: number): Partial<NodePageView> {
  const d = (field: string) => `${field}-${n}`;
  return {
    clinicName: d('clinic'),
    informationSystem: d('kis'),
    interfaceImport: d('interface'),
    root: { patient: d('rp'), encounter: d('re'), billing: d('rb') },
    format: { patient: d('fp'), encounter: d('fe'), billing: d('fb') },
    lastCheck: `2024-05-0${n} 01:00:0${n}`,
    lastContact: `2024-05-0${n} 00:58:1${n}`,
    lastStart: `2024-04-2${n} 06:12:00`,
    lastWrite: `2024-05-0${n} 23:41:1${n}`,
    lastReject: n % 2 === 0 ? '-' : `2024-03-0${n} 10:00:00`,
    means: {
      imported: `${n}1.00`,
      updated: `${n}2.00`,
      invalid: `${n}.14`,
      failed: `0.0${n}`,
      errorRate: `${n}.75`,
    },
    daily: { imported: `${n}20`, updated: `${n}8`, invalid: `${n}`, failed: '-', errorRate: `${n}.5` },
    resources: {
      versions: {
        os: d('os'),
        kernel: d('kernel'),
        java: d('java'),
        'j2ee-impl': d('wildfly'),
        apache2: d('apache'),
        postgres: d('pg'),
        'dwh-api': d('api'),
        'dwh-j2ee': d('j2ee'),
      },
      scripts: {
        rscript: `r-base-core (${n}), r-cran-x (-)`,
        python: `python3-numpy (${n}.1)`,
        'import-scripts': `p21 (1.${n})`,
      },
    },
  };
}

/** One view per status, its fields distinct from the other views': the cases of "shows every field". */
export const VIEWS_BY_STATUS = STATUSES.map(
  (status, i) => [status.title, nodeView({ status, ...distinctValues(i + 1) })] as const,
);

/** Every single-value field of a rendered node page (storage or report HTML) shows its view value. */
export function expectEveryField(document: XmlElement, view: NodePageView): void {
  for (const [cls, value] of NODE_FIELDS) expect(text(byClass(document, cls)), cls).toBe(value(view));
}
