import { clean, lt } from '@renovatebot/pep440';

/** Outcome of the DWH OUTDATED rule; only `compared` can be outdated. */
export type DwhVersionCheck =
  | { readonly kind: 'compared'; readonly outdated: boolean; readonly nodeVersion: string }
  | { readonly kind: 'no-version'; readonly outdated: false }
  | {
      readonly kind: 'invalid';
      readonly outdated: false;
      readonly nodeVersion: string;
      readonly warning: string;
    };

const DWH_PREFIX = 'dwh-j2ee-';

/**
 * DWH OUTDATED: the node's `dwh-j2ee` value (e.g. `dwh-j2ee-1.5.1rc1`; prefix removed) is an
 * older PEP 440 version than AKTIN.DWH_VERSION (`1.5.1rc1` < `1.5.1`). Empty or `-` → not
 * outdated; a value that is no PEP 440 version → `invalid` with a warning, never a throw.
 */
export function isDwhOutdated(dwhJ2eeValue: string | undefined, currentVersion: string): DwhVersionCheck {
  // The original removes every occurrence of the prefix, not just a leading one.
  const nodeVersion = (dwhJ2eeValue ?? '').replaceAll(DWH_PREFIX, '').trim();
  if (nodeVersion === '' || nodeVersion === '-') return { kind: 'no-version', outdated: false };
  const node = clean(nodeVersion);
  const current = clean(currentVersion);
  if (current === null) {
    return {
      kind: 'invalid',
      outdated: false,
      nodeVersion,
      warning: `AKTIN.DWH_VERSION ${JSON.stringify(currentVersion)} is not a PEP 440 version`,
    };
  }
  if (node === null) {
    return {
      kind: 'invalid',
      outdated: false,
      nodeVersion,
      warning: `dwh-j2ee version ${JSON.stringify(nodeVersion)} is not a PEP 440 version`,
    };
  }
  return { kind: 'compared', outdated: lt(node, current), nodeVersion };
}

/**
 * Whether a stored page's `version_template` is older than the shipped template's (PEP 440),
 * so the page must be rebuilt. A missing or non-PEP 440 stored version counts as older.
 * @throws TypeError if the shipped version itself is not PEP 440 (a bug in our template).
 */
export function isOlderTemplateVersion(stored: string | undefined, shipped: string): boolean {
  const shippedVersion = clean(shipped);
  if (shippedVersion === null) throw new TypeError(`shipped template version ${shipped} is not PEP 440`);
  const storedVersion = clean(stored ?? '');
  return storedVersion === null || lt(storedVersion, shippedVersion);
}
