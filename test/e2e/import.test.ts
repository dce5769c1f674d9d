import { describe, expect, it } from 'vitest';
import { products, useStack, waitForJob } from '../support/stack';

describe('import end to end on the local stack', () => {
  const ctx = useStack();

  it('imports 1,000 products with ~5% invalid: exact counters, failures with reasons, products readable', async () => {
    const items = products(1000, 20); // every 20th has a negative price: 50 invalid
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items });
    expect(created.status).toBe(202);
    expect(created.headers.get('location')).toBe(`/v1/jobs/${created.json.id}`);
    expect(created.json).toMatchObject({ type: 'import', total: 1000 });

    const job = await waitForJob(ctx.api, created.json.id);
    expect(job).toMatchObject({
      status: 'completed',
      total: 1000,
      processed: 1000,
      failed: 50,
      succeeded: 950,
      progress: 100,
    });
    expect(job.completedAt).toEqual(expect.any(String));

    const failures = [];
    let cursor: string | null = null;
    do {
      const page = await ctx.api.get(`/v1/jobs/${job.id}/failures?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      failures.push(...page.json.failures);
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(failures.map((f) => f.index)).toEqual(Array.from({ length: 50 }, (_, i) => i * 20));
    for (const failure of failures) {
      expect(failure.reason).toBe('price: must be a number ≥ 0');
      expect(failure.item).toEqual(items[failure.index]);
    }

    const good = await ctx.api.get('/v1/products/SKU-00001');
    expect(good.status).toBe(200);
    expect(good.json).toMatchObject({ sku: 'SKU-00001', title: 'Product 1', price: 11, currency: 'USD', brand: 'Acme' });
    expect(good.json).not.toHaveProperty('tenantId');
    expect((await ctx.api.get('/v1/products/SKU-00020')).status).toBe(404);
  });

  it('completes an empty job at once', async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'export', items: [] });
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({ status: 'completed', total: 0, processed: 0, progress: 100 });
    expect(created.json.completedAt).toEqual(expect.any(String));
  });

  it('runs enrichment and export through the same pipeline', async () => {
    const imported = await ctx.api.post('/v1/jobs', { type: 'import', items: products(30, 0, 'EN') });
    await waitForJob(ctx.api, imported.json.id);
    const skus = [...products(30, 0, 'EN').map(({ sku }) => ({ sku })), { sku: 'EN-missing' }, { nope: 1 }];

    const enrichment = await ctx.api.post('/v1/jobs', { type: 'enrichment', items: skus });
    const enriched = await waitForJob(ctx.api, enrichment.json.id);
    expect(enriched).toMatchObject({ status: 'completed', total: 32, processed: 32, failed: 2 });
    const reasons = (await ctx.api.get(`/v1/jobs/${enriched.id}/failures`)).json.failures.map((f: any) => [f.index, f.reason]);
    expect(reasons).toEqual([
      [30, 'sku: product not found'],
      [31, 'sku: is required'],
    ]);
    expect((await ctx.api.get('/v1/products/EN-00003')).json.enrichment.enrichedAt).toEqual(expect.any(String));

    const exporting = await ctx.api.post('/v1/jobs', { type: 'export', items: skus });
    expect(await waitForJob(ctx.api, exporting.json.id)).toMatchObject({ status: 'completed', processed: 32, failed: 2 });
  });

  it('lists jobs newest first with filters and a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await ctx.api.post('/v1/jobs', { type: 'enrichment', items: [] })).json.id);
    }
    const first = await ctx.api.get('/v1/jobs?type=enrichment&limit=2');
    expect(first.status).toBe(200);
    expect(first.json.jobs.map((j: any) => j.id)).toEqual([ids[2], ids[1]]);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await ctx.api.get(`/v1/jobs?type=enrichment&limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.jobs.map((j: any) => j.id)).toContain(ids[0]);
    expect(second.json.jobs.every((j: any) => j.type === 'enrichment')).toBe(true);

    const completed = await ctx.api.get('/v1/jobs?status=completed&limit=100');
    expect(completed.json.jobs.length).toBeGreaterThanOrEqual(3);
    expect(completed.json.jobs.every((j: any) => j.status === 'completed')).toBe(true);
    const all = (await ctx.api.get('/v1/jobs?limit=100')).json.jobs.map((j: any) => j.createdAt);
    expect(all).toEqual([...all].sort().reverse());
  });
});
