import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products, useStack, waitFor, waitForJob } from '../support/stack';
import { ARTIFACTS, launchChromium } from './browser';
import { slowImports } from './slow-imports';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Jobs page in a real browser (headless Debian chromium) against the
 * local stack. Imports are slowed down (chunks of 10, one at a time, 150 ms
 * each) so that a job's progress can be seen climbing.
 */
describe('the Jobs page', () => {
  // A long visibility timeout: chunks waiting their turn are not delivered twice.
  const ctx = useStack({ chunkSize: 10, visibilityTimeoutSeconds: 30, workerDeps: slowImports(150) });
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
  });

  const row = (id: string) => page.locator(`#jobs-table tbody tr[data-job-id="${id}"]`);
  const cell = (id: string, field: string) => row(id).locator(`[data-field="${field}"]`);

  it('signs in with an API key kept in sessionStorage only', async () => {
    await page.goto(`${ctx.stack.url}/`);
    await page.locator('#sign-in').waitFor();
    await page.fill('#api-key', 'mo_notakey');
    await page.click('#sign-in-form button[type=submit]');
    await expect.poll(() => page.textContent('#sign-in-error')).toMatch(/not accepted/);

    await page.fill('#api-key', ctx.key);
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('#jobs-view').waitFor();
    expect(await page.isVisible('#sign-in')).toBe(false);
    // (page code as strings: the test project is type-checked without the DOM library)
    const storage = await page.evaluate<{ session: object; local: object; cookies: string }>(
      '({ session: { ...sessionStorage }, local: { ...localStorage }, cookies: document.cookie })',
    );
    expect(Object.values(storage.session)).toEqual([ctx.key]);
    expect(storage.local).toEqual({});
    expect(storage.cookies).toBe('');
    await expect.poll(() => page.textContent('#jobs-empty')).toMatch(/No jobs yet/);
  });

  it('shows a new job within 2 s and its bar climbing to 100% with the right counts', { timeout: 120_000 }, async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(200, 8, 'WEB') });
    expect(created.status).toBe(202);
    // the job exists from its 202 on
    const started = Date.now();
    const id: string = created.json.id;
    await row(id).waitFor({ timeout: 5000 });
    const appearedAfter = Date.now() - started;
    expect(appearedAfter).toBeLessThan(2000);

    // Watch the bar as a user would: aria-valuenow climbs to 100, never back.
    const seen: number[] = [];
    const rates = new Set<string>();
    const deadline = Date.now() + 60_000;
    let completedSeenAt = 0;
    while (Date.now() < deadline) {
      const now = await cell(id, 'progress').locator('[role=progressbar]').getAttribute('aria-valuenow');
      if (now !== null && Number(now) !== seen.at(-1)) seen.push(Number(now));
      rates.add((await cell(id, 'rate').textContent()) ?? '');
      if (seen.at(-1) === 100 && (await row(id).getAttribute('data-status')) === 'completed') {
        completedSeenAt = Date.now();
        break;
      }
      await sleep(100);
    }
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((value) => value > 0 && value < 100), `values seen: ${seen.join(', ')}`).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // while it ran, a throughput and an ETA were shown
    expect([...rates].some((text) => /items\/(s|min) · ETA /.test(text)), [...rates].join(' | ')).toBe(true);

    // The page caught up with completion within a few polls (1 s apart) of it happening.
    const job = await waitForJob(ctx.api, id);
    expect(completedSeenAt - Date.parse(job.completedAt)).toBeLessThan(3000);
    expect(job).toMatchObject({ processed: 200, failed: 25 });
    expect(await cell(id, 'total').textContent()).toBe('200');
    expect(await cell(id, 'processed').textContent()).toBe('200');
    expect(await cell(id, 'failed').textContent()).toBe('25');
    expect(await cell(id, 'status').textContent()).toContain('Completed with failures');
    expect(await cell(id, 'status').locator('.badge').getAttribute('class')).toContain('badge--with-failures');
    expect(await cell(id, 'progress').textContent()).toContain('100%');
    expect(await cell(id, 'type').textContent()).toBe('Import');
    expect(await cell(id, 'started').locator('time').getAttribute('datetime')).toBe(job.createdAt);
    expect(await cell(id, 'duration').textContent()).toMatch(/^\d+ s$|min/);
    expect(await cell(id, 'rate').textContent()).toBe('–');
    await page.screenshot({ path: `${ARTIFACTS}jobs-page.png`, fullPage: true });
  });

  it('is accessible: a semantic table and labelled progress bars', async () => {
    expect(await page.locator('#jobs-table caption').textContent()).toMatch(/newest first/);
    const headers = await page.locator('#jobs-table thead th').evaluateAll((ths) => ths.map((th) => [th.getAttribute('scope'), th.textContent]));
    expect(headers.map(([scope]) => scope)).toEqual(Array(headers.length).fill('col'));
    expect(headers.map(([, text]) => text)).toEqual(
      expect.arrayContaining(['Type', 'Status', 'Total', 'Processed', 'Failed', 'Progress', 'Started', 'Duration']),
    );
    expect(await page.locator('#jobs-table tbody tr > th[scope=row]').count()).toBe(await page.locator('#jobs-table tbody tr').count());
    const bar = page.locator('#jobs-table [role=progressbar]').first();
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    expect(await bar.getAttribute('aria-valuemax')).toBe('100');
    expect(await bar.getAttribute('aria-label')).toMatch(/^Progress of Import job [0-9a-f]{8}$/);
    expect(await bar.getAttribute('aria-valuetext')).toMatch(/100%: 200 of 200 processed, 25 failed/);
  });

  it('stays cheap while idle: revalidates with If-None-Match and gets 304s', async () => {
    const statuses: number[] = [];
    const listener = (response: import('playwright-core').Response) => {
      if (new URL(response.url()).pathname === '/v1/jobs') statuses.push(response.status());
    };
    page.on('response', listener);
    await sleep(3500);
    page.off('response', listener);
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(statuses.every((status) => status === 304), statuses.join(',')).toBe(true);
  });

  it('filters by type and status', async () => {
    const id = (await ctx.api.get('/v1/jobs?limit=1')).json.jobs[0].id;
    await page.selectOption('#filters select[name=status]', 'running');
    await expect.poll(() => page.isVisible('#jobs-empty')).toBe(true);
    expect(await page.textContent('#jobs-empty')).toMatch(/No jobs match/);
    expect(await row(id).count()).toBe(0);
    expect(page.url()).toContain('status=running');

    await page.selectOption('#filters select[name=status]', 'completed');
    await row(id).waitFor();
    await page.selectOption('#filters select[name=type]', 'export');
    await expect.poll(() => row(id).count()).toBe(0);
    await page.selectOption('#filters select[name=type]', 'import');
    await row(id).waitFor();
    await page.selectOption('#filters select[name=type]', '');
    await page.selectOption('#filters select[name=status]', '');
  });

  it('opens the detail view: counters, failures by reason, failed items page by page, downloads', { timeout: 60_000 }, async () => {
    const id = (await ctx.api.get('/v1/jobs?limit=1')).json.jobs[0].id;
    await row(id).locator('th a').click();
    await page.locator('#job-title').waitFor();
    expect(page.url()).toContain(`#/jobs/${id}`);
    await expect.poll(() => page.textContent('#job-title')).toBe(`Import job ${id.slice(0, 8)}`);
    const counter = (field: string) => page.locator(`#job-view .counters [data-field="${field}"] dd`);
    await expect.poll(() => counter('processed').textContent()).toBe('200');
    expect(await counter('total').textContent()).toBe('200');
    expect(await counter('succeeded').textContent()).toBe('175');
    expect(await counter('failed').textContent()).toBe('25');
    expect(await page.locator('#job-view [role=progressbar]').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.locator('#job-view .badge').textContent()).toContain('Completed with failures');

    const summary = page.locator('table[aria-labelledby=summary-title] tbody tr');
    expect(await summary.count()).toBe(1);
    expect(await summary.first().textContent()).toContain('price: must be a number ≥ 0');
    expect(await summary.first().locator('td').nth(1).textContent()).toBe('25');

    const failures = page.locator('table.failures tbody tr');
    await expect.poll(() => failures.count()).toBe(20);
    expect(await page.locator('.pager').textContent()).toContain('Items 1–20 of 25');
    expect(await failures.first().textContent()).toContain('WEB-00000');
    await page.click('.pager button:has-text("Next")');
    await expect.poll(() => failures.count()).toBe(5);
    expect(await page.locator('.pager').textContent()).toContain('Items 21–25 of 25');
    expect(await page.isDisabled('.pager button:has-text("Next")')).toBe(true);
    await page.click('.pager button:has-text("Previous")');
    await expect.poll(() => failures.count()).toBe(20);

    // actions that exist for a finished import with failures
    const actions = await page.locator('#job-view .actions button').allTextContents();
    expect(actions).toEqual(['Retry 25 failed items', 'Download failed rows (CSV)']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download failed rows (CSV)')]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toContain('_reason');
    expect(csv).toContain('WEB-00008');
    await page.screenshot({ path: `${ARTIFACTS}jobs-page-detail.png`, fullPage: true });
  });

  it('retries failed items and cancels a running job from the detail view', { timeout: 90_000 }, async () => {
    const before = page.url();
    await page.click('#job-view .actions button:has-text("Retry 25 failed items")');
    await expect.poll(() => page.url(), { timeout: 10_000 }).not.toBe(before);
    const retryId = page.url().split('#/jobs/')[1];
    const original = (await ctx.api.get(`/v1/jobs/${retryId}`)).json;
    expect(original.retryOf).toBe(before.split('#/jobs/')[1]);
    await expect.poll(() => page.locator('#job-view .badge').textContent(), { timeout: 30_000 }).toContain('Completed');
    expect(await page.locator('#job-view .meta').textContent()).toContain(`retry of ${original.retryOf.slice(0, 8)}`);

    const long = await ctx.api.post('/v1/jobs', { type: 'import', items: products(400, 0, 'LONG') });
    await page.goto(`${ctx.stack.url}/#/jobs/${long.json.id}`);
    await page.locator('#job-view .actions button:has-text("Cancel job")').click();
    await expect.poll(() => page.locator('#job-view .badge').textContent(), { timeout: 10_000 }).toContain('Cancelled');
    expect((await ctx.api.get(`/v1/jobs/${long.json.id}`)).json.status).toBe('cancelled');
    expect(await page.locator('#job-view .actions button:has-text("Cancel job")').count()).toBe(0);
  });

  it('downloads the file of a completed export', { timeout: 60_000 }, async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'export', select: { all: true }, format: 'csv' });
    await waitForJob(ctx.api, created.json.id);
    await page.goto(`${ctx.stack.url}/#/jobs/${created.json.id}`);
    const button = page.locator('#job-view .actions button:has-text("Download export")');
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    // S3 names it export-<id>.csv (response-content-disposition); the local emulator leaves the key's name
    expect(download.suggestedFilename()).toMatch(/^export.*\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^sku,title/);
    expect(csv).toContain('WEB-00001');
  });

  it('works at a phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${ctx.stack.url}/#/`);
    await page.locator('#jobs-table tbody tr').first().waitFor();
    const count = (await ctx.api.get('/v1/jobs')).json.jobs.length;
    await waitFor(async () => ((await page.locator('#jobs-table tbody tr').count()) === count ? true : undefined), 'the rows');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // each cell is labelled by its column, the progress bar spans the card
    expect(await page.locator('#jobs-table tbody tr').first().locator('[data-field=failed]').getAttribute('data-label')).toBe('Failed');
    await page.screenshot({ path: `${ARTIFACTS}jobs-page-phone.png`, fullPage: true });
    const withFailures = (await ctx.api.get('/v1/jobs?limit=10')).json.jobs.find((job: { failed: number; retryOf: string | null }) => job.failed && !job.retryOf);
    await page.goto(`${ctx.stack.url}/#/jobs/${withFailures.id}`);
    await page.locator('table.failures tbody tr').first().waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}jobs-page-detail-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('signs out, forgetting the key', async () => {
    await page.goto(`${ctx.stack.url}/#/`);
    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.locator('#sign-in').waitFor();
    expect(errors).toEqual([]);
  });
});
