// `wfp-blocks summary --html FILE`, rendered in a real headless Chromium (Debian's chromium,
// driven by playwright-core): what the page shows, and that opening it asks the network for nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
let browser: BrowserContext;

beforeAll(async () => {
  expect(existsSync(CHROMIUM), 'Debian package chromium (.ci/run installs it)').toBe(true);
  // A fresh profile (the user data dir) for every run.
  browser = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'wfp-blocks-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);
afterAll(async () => browser?.close());

describe('summary --html', () => {
  it('writes one self-contained page that shows the totals, the timeline and the top values as charts', async () => {
    const file = fixture('otrf-f2bb3e18.xml');
    const html = path.join(tempDir(), 'report.html');
    const r = spawnSync(process.execPath, [CLI, 'summary', '-a', '--html', html, '--json', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    const source = readFileSync(html, 'utf8');
    expect(source).not.toMatch(/<script|<link|<img|https?:\/\/|@import|url\(/i);

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${html}`);
    expect(requests).toEqual([`file://${html}`]);

    expect(await page.title()).toBe('WFP blocks');
    const number = (s: string | null) => Number((s ?? '').replace(/[^\d]/g, ''));
    expect(number(await page.textContent('#total-events b'))).toBe(summary.events);
    expect(number(await page.textContent('#total-blocked b'))).toBe(summary.blocked);
    expect(number(await page.textContent('#total-allowed b'))).toBe(summary.allowed);

    // The timeline: one bar group per bucket, heights in proportion to the counts.
    const buckets = await page.$$eval('svg.timeline g.bucket', (gs) =>
      gs.map((g) => ({
        blocked: Number(g.getAttribute('data-blocked')),
        allowed: Number(g.getAttribute('data-allowed')),
        height: [...g.querySelectorAll('rect')].reduce((h, r) => h + r.getBoundingClientRect().height, 0),
      })),
    );
    expect(buckets).toHaveLength(summary.timeline.points.length);
    expect(buckets.reduce((n, b) => n + b.blocked + b.allowed, 0)).toBe(summary.events);
    const tallest = buckets.reduce((a, b) => (b.blocked + b.allowed > a.blocked + a.allowed ? b : a));
    expect(tallest.height).toBeGreaterThan(100);
    for (const b of buckets)
      expect(Math.abs(b.height / tallest.height - (b.blocked + b.allowed) / (tallest.blocked + tallest.allowed))).toBeLessThan(0.02);

    // The top values: each table as the summary says, the bars in proportion.
    for (const [key, top] of Object.entries(summary.top) as Array<
      [string, { title: string; values: Array<{ value: string; count: number }> }]
    >) {
      if (top.values.length === 0) continue;
      const rows = await page.$$eval(`#top-${key} tbody tr`, (trs) =>
        trs.map((tr) => ({
          value: tr.querySelector('td.value')?.getAttribute('title'),
          count: Number(tr.querySelector('td.count')?.textContent?.replace(/[^\d]/g, '')),
          bar: (tr.querySelector('td.bar span') as HTMLElement).getBoundingClientRect().width,
        })),
      );
      expect(rows.map(({ value, count }) => ({ value, count }))).toEqual(top.values);
      expect(await page.textContent(`#top-${key} h2`)).toContain(top.title);
      expect(rows[0].bar).toBeGreaterThan(50);
      for (const row of rows) expect(Math.abs(row.bar / rows[0].bar - row.count / rows[0].count)).toBeLessThan(0.02);
    }
    await page.screenshot({ path: process.env.WFP_REPORT_PNG ?? path.join(path.dirname(html), 'report.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
