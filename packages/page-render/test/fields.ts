import { expect } from 'vitest';
import type { NodePageView } from '../src/types.js';
import { nodeView, STATUSES } from './views.js';
import { byClass, text, type XmlElement } from './xml.js';

/** Every single-value field of a node page: class name → the view value it must show. */
export const NODE_FIELDS: readonly (readonly [string, (view: NodePageView) => string])[] = [
  ['clinic_name', (v) => v.clinicName],
  ['information_system', (v) => v.informationSystem],
  ['interface_import', (v) => v.interfaceImport],
  ['root_patient', (v) => v.root.patient],
  ['root_encounter', (v) => v.root.encounter],
  ['root_billing', (v) => v.root.billing],
  ['format_patient', (v) => v.format.patient],
  ['format_encounter', (v) => v.format.encounter],
  ['format_billing', (v) => v.format.billing],
  ['last_check', (v) => v.lastCheck],
  ['last_contact', (v) => v.lastContact],
  ['last_start', (v) => v.lastStart],
  ['last_write', (v) => v.lastWrite],
  ['last_reject', (v) => v.lastReject],
  ['imported', (v) => v.means.imported],
  ['updated', (v) => v.means.updated],
  ['invalid', (v) => v.means.invalid],
  ['failed', (v) => v.means.failed],
  ['error_rate', (v) => v.means.errorRate],
  ['daily_imported', (v) => v.daily.imported],
  ['daily_updated', (v) => v.daily.updated],
  ['daily_invalid', (v) => v.daily.invalid],
  ['daily_failed', (v) => v.daily.failed],
  ['daily_error_rate', (v) => v.daily.errorRate],
  ['os', (v) => v.resources.versions.os],
  ['kernel', (v) => v.resources.versions.kernel],
  ['java', (v) => v.resources.versions.java],
  ['j2ee-impl', (v) => v.resources.versions['j2ee-impl']],
  ['apache2', (v) => v.resources.versions.apache2],
  ['postgres', (v) => v.resources.versions.postgres],
  ['dwh-api', (v) => v.resources.versions['dwh-api']],
  ['dwh-j2ee', (v) => v.resources.versions['dwh-j2ee']],
  ['rscript', (v) => v.resources.scripts.rscript],
  ['python', (v) => v.resources.scripts.python],
  ['import-scripts', (v) => v.resources.scripts['import-scripts']],
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
