/// <reference lib="dom" />
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, statusFixture } from './status-fixture.js';
import { runReporter } from './store.js';

// Debian's chromium; CI installs it (.ci/run).
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('local report in headless Chromium', () => {
  it('opens the index and a node page without console errors or requests elsewhere', async () => {
    const setup = await statusFixture({ contacts: true });
    const out = join(setup.dir, 'out');
    expect((await runReporter(NOW, [setup.configPath, '--out', out])).code).toBe(0);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
    page.on('request', (request) => requests.push(request.url()));

    await page.goto(pathToFileURL(join(out, 'index.html')).href, { waitUntil: 'load' });
    const heatmapWidth = await page
      .locator('figure.heatmap img')
      .evaluate((img) => (img as HTMLImageElement).naturalWidth);
    expect(heatmapWidth).toBeGreaterThan(300);
    const statusColour = await page
      .locator('tbody.table_summary_body tr', { hasText: '[2] Offline' })
      .locator('.lozenge')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(statusColour).not.toBe('rgba(0, 0, 0, 0)');
    await page.screenshot({ path: join(setup.dir, 'index.png'), fullPage: true });

    await page.getByRole('link', { name: '[1] Online' }).click();
    await page.waitForLoadState('load');
    expect(page.url()).toBe(pathToFileURL(join(out, 'node-1.html')).href);
    await expect(page.locator('td.status').textContent()).resolves.toBe('ONLINE');
    // The history chart, drawn by the report's own copy of Vega: a year of days, bars and a line.
    await page.locator('figure.history-chart[data-drawn]').waitFor({ timeout: 20_000 });
    await expect(page.locator('figure.history-chart').getAttribute('data-drawn')).resolves.toBe('365');
    expect(
      await page.locator('figure.history-chart svg [aria-roledescription="bar"]').count(),
    ).toBeGreaterThan(0);
    expect(await page.locator('figure.history-chart svg [aria-roledescription="line mark"]').count()).toBe(1);
    await page.screenshot({ path: join(setup.dir, 'node-1.png'), fullPage: true });
    await page.close();

    expect(problems).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(requests.some((url) => url.endsWith('/report.css'))).toBe(true);
  }, 60_000);
});
