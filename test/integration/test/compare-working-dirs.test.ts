import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATS_HEADER } from '@broker-monitor/test-kit';
import { expect, it } from 'vitest';

const SCRIPT = new URL('../../../scripts/compare-working-dirs.mjs', import.meta.url).pathname;
const HEADER = STATS_HEADER;

async function store(runTime: string, imported: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bm-compare-'));
  await mkdir(join(dir, '7'));
  await mkdir(join(dir, '.broker-monitor'));
  await writeFile(join(dir, '.broker-monitor', 'state.json'), runTime);
  const files: Record<string, string> = {
    '7/7_stats_2025.csv': `${HEADER}\n${runTime};-;-;-;-;${imported};0;0;0;0.00;-;-;-;-;-\n`,
    '7/7_log_versions.log': `${runTime} : [java] 11 --> 17\n`,
    'tracking_OFFLINE.json': `{"7": "${runTime}"}`,
    ...extra,
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

const compare = (a: string, b: string) => spawnSync(process.execPath, [SCRIPT, a, b], { encoding: 'utf8' });

it('treats stores that differ only in run times as equivalent', async () => {
  const python = await store('2025-03-10 06:00:01.123456+00:00', '12');
  const ours = await store('2025-03-10 06:20:00+00:00', '12');
  const result = compare(python, ours);
  expect(result.stdout).toContain('equivalent');
  expect(result.status).toBe(0);
});

it('lists a differing value and a missing file, exit 1', async () => {
  const python = await store('2025-03-10 06:00:00+00:00', '12', { '7/7_versions.txt': '{"java": "17"}' });
  const ours = await store('2025-03-10 06:20:00+00:00', '13');
  const result = compare(python, ours);
  expect(result.status).toBe(1);
  expect(result.stdout).toContain('7/7_stats_2025.csv: line 2 differs');
  expect(result.stdout).toContain(`7/7_versions.txt: only in ${python}`);
  expect(result.stdout).toContain('2 files differ');
});

it('says how to use it, exit 2', () => {
  expect(compare('/nonexistent', '/nonexistent').status).toBe(2);
});
