import { describe, expect, it } from 'vitest';
import { useStack, waitForJob, type Api } from '../support/stack';

const run = async (api: Api, body: Record<string, unknown>) =>
  waitForJob(api, (await api.post('/v1/jobs', body)).json.id);

describe('import upsert and dry run', () => {
  const ctx = useStack();

  it('replaces the fields an import gives, keeps enrichment, and reports created / updated / unchanged', async () => {
    const first = await run(ctx.api, { type: 'import', items: [{ sku: 'U-1', title: 'Mug', price: 5, brand: 'Acme' }] });
    expect(first.result).toEqual({ created: 1, updated: 0, unchanged: 0 });
    await run(ctx.api, { type: 'enrichment', items: [{ sku: 'U-1' }] });
    const enriched = (await ctx.api.get('/v1/products/U-1')).json;
    expect(enriched.enrichment.slug).toBe('mug');

    const second = await run(ctx.api, {
      type: 'import',
      items: [
        { sku: 'U-1', title: 'Mug', price: 6 },
        { sku: 'U-2', title: 'Plate', price: 3 },
      ],
    });
    expect(second.result).toEqual({ created: 1, updated: 1, unchanged: 0 });
    const updated = (await ctx.api.get('/v1/products/U-1')).json;
    expect(updated).toMatchObject({ price: 6, brand: 'Acme', enrichment: enriched.enrichment, createdAt: enriched.createdAt });
    expect(updated.updatedAt > enriched.updatedAt).toBe(true);

    const same = await run(ctx.api, { type: 'import', items: [{ sku: 'U-1', title: 'Mug', price: 6 }] });
    expect(same.result).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await ctx.api.get('/v1/products/U-1')).json).toEqual(updated);
  });

  it('a dry run computes the same result and writes nothing', async () => {
    const before = (await ctx.api.get('/v1/products/U-2')).json;
    const dry = await run(ctx.api, {
      type: 'import',
      dryRun: true,
      items: [
        { sku: 'U-2', title: 'Plate', price: 3 },
        { sku: 'U-2b', title: 'Bowl', price: 4 },
        { sku: 'U-1', title: 'Mug', price: 7 },
        { sku: 'U-bad', title: '', price: 1 },
      ],
    });
    expect(dry).toMatchObject({ status: 'completed', dryRun: true, processed: 4, failed: 1, result: { created: 1, updated: 1, unchanged: 1 } });
    expect(dry.failureSummary).toEqual([{ reason: 'title: must not be empty', count: 1 }]);
    expect((await ctx.api.get('/v1/products/U-2b')).status).toBe(404);
    expect((await ctx.api.get('/v1/products/U-1')).json.price).toBe(6);
    expect((await ctx.api.get('/v1/products/U-2')).json).toEqual(before);
  });

  it('checks every documented product field', async () => {
    const job = await run(ctx.api, {
      type: 'import',
      items: [
        { sku: 'F-1', title: 'Full', price: 1, description: 'd', currency: 'gbp', brand: 'B', category: 'C', tags: ['t'], images: ['https://img.example/a.png'], attributes: { size: 'M' }, inventory: 3 },
        { sku: 'F-2', title: 'Tags', price: 1, tags: 'not-a-list' },
        { sku: 'F-3', title: 'Images', price: 1, images: ['ftp://x/y.png'] },
        { sku: 'F-4', title: 'Attributes', price: 1, attributes: { size: 42 } },
        { sku: 'F-5', title: 'Inventory', price: 1, inventory: -1 },
      ],
    });
    expect(job).toMatchObject({ processed: 5, failed: 4 });
    const reasons = Object.fromEntries(job.failureSummary.map((s: any) => [s.reason, s.count]));
    expect(reasons).toEqual({
      'tags: must be a list of strings': 1,
      'images.0: must be an http(s) URL': 1,
      'attributes.size: values must be strings': 1,
      'inventory: must be a whole number ≥ 0': 1,
    });
    expect((await ctx.api.get('/v1/products/F-1')).json).toMatchObject({ currency: 'GBP', attributes: { size: 'M' }, inventory: 3 });
  });
});
