import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { webAssets } from '@merchantops/web/assets.generated';
import { apiClient, products, useStack, waitForJob } from '../support/stack';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

describe('the Jobs page bundle', () => {
  it('is up to date with packages/web/page', { timeout: 60_000 }, async () => {
    // Fails when someone edits the page but does not run `npm run build -w @merchantops/web`.
    await expect(run(process.execPath, ['packages/web/scripts/build.mjs', '--check'], { cwd: root })).resolves.toBeDefined();
  });
});

describe('serving the page', () => {
  const ctx = useStack();

  it('serves / and its content-hashed assets without a key, revalidating the HTML', async () => {
    const page = await fetch(`${ctx.stack.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toHaveLength(2);
    expect(html).not.toMatch(/(src|href)="https?:/);

    for (const path of assets) {
      const asset = await fetch(ctx.stack.url + path);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect(await asset.text()).toBe(webAssets[path].body);
    }
    const again = await fetch(`${ctx.stack.url}/`, { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${ctx.stack.url}/assets/nope.js`)).status).toBe(404);
  });

  it('answers job reads with an ETag and 304 while nothing changed', { timeout: 60_000 }, async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(5, 0, 'ETAG') });
    const job = await waitForJob(ctx.api, created.json.id);
    for (const path of [`/v1/jobs/${job.id}`, '/v1/jobs', '/v1/jobs?type=import&limit=5']) {
      const first = await ctx.api.get(path);
      const etag = first.headers.get('etag');
      expect(etag, path).toMatch(/^"[0-9a-f]+"$/);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      expect(first.headers.get('vary')).toContain('Authorization');
      const unchanged = await ctx.api.call('GET', path, undefined, { 'if-none-match': etag! });
      expect(unchanged.status, path).toBe(304);
      expect(unchanged.json).toBeUndefined();
    }

    // a change gives a new ETag: the old one no longer matches
    const listed = await ctx.api.get('/v1/jobs');
    await ctx.api.post('/v1/jobs', { type: 'import', items: [] });
    const changed = await ctx.api.call('GET', '/v1/jobs', undefined, { 'if-none-match': listed.headers.get('etag')! });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(listed.headers.get('etag'));

    // errors are never 304, and an ETag is no way into another tenant's jobs
    const missing = await ctx.api.call('GET', '/v1/jobs/00000000-0000-4000-8000-000000000000', undefined, { 'if-none-match': '*' });
    expect(missing.status).toBe(404);
    const jobTag = (await ctx.api.get(`/v1/jobs/${job.id}`)).headers.get('etag')!;
    const other = apiClient(ctx.stack.url, await ctx.stack.createApiKey('other'));
    expect((await other.call('GET', `/v1/jobs/${job.id}`, undefined, { 'if-none-match': jobTag })).status).toBe(404);
    const theirs = await other.call('GET', '/v1/jobs', undefined, { 'if-none-match': changed.headers.get('etag')! });
    expect(theirs.status).toBe(200);
    expect(theirs.json.jobs).toEqual([]);
  });

  it('gives download links as JSON to clients that ask, and redirects the others', { timeout: 60_000 }, async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(4, 2, 'DL') });
    const job = await waitForJob(ctx.api, created.json.id);
    const path = `/v1/jobs/${job.id}/failures?format=csv`;
    const redirect = await fetch(ctx.stack.url + path, { headers: ctx.api.headers, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const link = await ctx.api.call('GET', path, undefined, { accept: 'application/json' });
    expect(link.status).toBe(200);
    expect(link.headers.get('location')).toBeNull();
    expect(link.json).toEqual({ url: expect.stringMatching(/^http/), method: 'GET' });
    const file = await fetch(link.json.url);
    expect(await file.text()).toContain('_reason');
    // JSON answers of the same endpoint are untouched
    const page = await ctx.api.call('GET', `/v1/jobs/${job.id}/failures`, undefined, { accept: 'application/json' });
    expect(page.json.failures).toHaveLength(2);
  });
});
