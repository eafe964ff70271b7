/// <reference lib="dom" />
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { demoClinics, runDemo } from '../src/index.js';

// Debian's chromium; CI installs it (.ci/run).
const CHROMIUM = '/usr/bin/chromium';

it('the demo report, opened in headless Chromium: every node page draws its chart and shows its availability', async () => {
  const outDir = join(await mkdtemp(join(tmpdir(), 'bm-demo-browser-')), 'demo-output');
  const result = await runDemo({ outDir, lastDay: new Date('2026-03-20T00:00:00Z') });
  const report = dirname(result.reportIndex);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const seen: Record<string, { drawn: string | null; availability: string | null }> = {};
    // The clinic that never uploaded anything has no stats, so no page of its own.
    const withPages = demoClinics().filter((clinic) => clinic.scenario.kind !== 'never-uploaded');
    for (const clinic of withPages) {
      await page.goto(pathToFileURL(join(report, `node-${clinic.id}.html`)).href, { waitUntil: 'load' });
      await page.locator('figure.history-chart[data-drawn]').waitFor({ timeout: 20_000 });
      seen[clinic.id] = {
        drawn: await page.locator('figure.history-chart').getAttribute('data-drawn'),
        availability: await page.locator('.availability_30').textContent(),
      };
      expect(
        await page.locator('figure.history-chart svg [aria-roledescription="bar"]').count(),
      ).toBeGreaterThan(0);
    }
    for (const [id, facts] of Object.entries(seen)) {
      expect(facts.drawn, `node ${id}`).toBe('365');
      expect(facts.availability, `node ${id}`).toMatch(/^(\d{1,3},\d %|—)$/);
    }
    // The healthy clinic was available every day, the one offline since day 52 was not.
    expect(seen['1']?.availability).toBe('100,0 %');
    expect(seen['5']?.availability).not.toBe('100,0 %');
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
}, 120_000);
