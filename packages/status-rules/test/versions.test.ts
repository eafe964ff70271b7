import { describe, expect, it } from 'vitest';
import { isDwhOutdated, isOlderTemplateVersion } from '../src/versions.js';
import { reference } from './reference.js';

describe('isDwhOutdated', () => {
  it.each([
    ['dwh-j2ee-1.5.1rc1', '1.5.1', true],
    ['dwh-j2ee-1.5.0', '1.5.1rc1', true],
    ['dwh-j2ee-1.2.3', '1.5.1', true],
    ['1.2.3', '1.5.1', true],
    ['dwh-j2ee-1.5.1', '1.5.1', false],
    ['dwh-j2ee-1.5.1', '1.5.1rc1', false],
    ['dwh-j2ee-1.10', '1.9', false],
    [' dwh-j2ee-1.4 ', '1.5', true],
  ])('%s against %s → outdated %s', (value, current, outdated) => {
    const check = isDwhOutdated(value, current);
    expect(check).toEqual({ kind: 'compared', outdated, nodeVersion: value.trim().replace('dwh-j2ee-', '') });
  });

  it.each([['-'], [''], [undefined], ['dwh-j2ee-']])('no version for %j', (value) => {
    expect(isDwhOutdated(value, '1.5.1')).toEqual({ kind: 'no-version', outdated: false });
  });

  it('an unparsable node version is a warning, not an exception', () => {
    const check = isDwhOutdated('dwh-j2ee-1.5-SNAPSHOT-x', '1.5.1');
    expect(check.kind).toBe('invalid');
    expect(check.outdated).toBe(false);
    expect(check.kind === 'invalid' && check.warning).toContain('"1.5-SNAPSHOT-x"');
  });

  it('an unparsable configured version names AKTIN.DWH_VERSION', () => {
    const check = isDwhOutdated('dwh-j2ee-1.5.0', 'CHANGEME');
    expect(check.kind === 'invalid' && check.warning).toContain('AKTIN.DWH_VERSION');
  });
});

describe('isOlderTemplateVersion', () => {
  it.each([
    ['1.103', '2.0', true],
    ['2.0', '2.0', false],
    ['2.1', '2.0', false],
    ['1.9', '1.10', true],
    [undefined, '2.0', true],
    ['', '2.0', true],
    ['not a version', '2.0', true],
  ])('stored %j, shipped %s → %s', (stored, shipped, older) => {
    expect(isOlderTemplateVersion(stored, shipped)).toBe(older);
  });

  it('rejects a broken shipped version', () => {
    expect(() => isOlderTemplateVersion('1.0', 'two')).toThrow(TypeError);
  });

  it(`agrees with packaging on ${reference.pep440.length} pairs`, () => {
    for (const [a, b, older] of reference.pep440)
      expect(isOlderTemplateVersion(a, b), `${a} < ${b}`).toBe(older);
  });
});
