import { describe, expect, it } from 'vitest';
import { parseCsv } from '@merchantops/core/csv/parse-csv';
import { mergeProduct } from '@merchantops/core/products/merge-product';
import { allFailures, download, products, uploadFile, useStack, waitForJob } from '../support/stack';

async function csvRows(text: string) {
  const rows: string[][] = [];
  async function* one() {
    yield text;
  }
  for await (const record of parseCsv(one())) if ('fields' in record) rows.push(record.fields);
  return rows;
}

describe('enrichment and export', () => {
  const ctx = useStack({ chunkSize: 50 });

  it('enriches by selection; enriching twice gives the same product', async () => {
    const items = [
      { sku: 'E-1', title: 'BLUE CERAMIC MUG', price: 12, brand: 'Acme', description: 'A sturdy mug for coffee.' },
      { sku: 'E-2', title: 'yoga mat', price: 20, description: 'Non-slip.' },
      { sku: 'E-3', title: 'Gift card', price: 25 },
    ];
    await waitForJob(ctx.api, (await ctx.api.post('/v1/jobs', { type: 'import', items })).json.id);

    const missing = await ctx.api.post('/v1/jobs', { type: 'enrichment', select: { missing: ['description'] } });
    expect(missing.status).toBe(202);
    expect(await waitForJob(ctx.api, missing.json.id)).toMatchObject({ status: 'completed', total: 1, failed: 0, result: { enriched: 1 } });
    expect((await ctx.api.get('/v1/products/E-3')).json.enrichment).toMatchObject({ slug: 'gift-card', completeness: 25 });
    expect((await ctx.api.get('/v1/products/E-1')).json.enrichment).toBeUndefined();

    const all = await waitForJob(ctx.api, (await ctx.api.post('/v1/jobs', { type: 'enrichment', select: { all: true } })).json.id);
    expect(all).toMatchObject({ status: 'completed', total: 3, result: { enriched: 2, unchanged: 1 } });
    const mug = (await ctx.api.get('/v1/products/E-1')).json;
    expect(mug.enrichment).toMatchObject({
      normalizedTitle: 'Blue Ceramic Mug',
      slug: 'blue-ceramic-mug',
      seoTitle: 'Blue Ceramic Mug | Acme',
      metaDescription: 'A sturdy mug for coffee.',
      inferredCategory: 'Home & Kitchen > Drinkware',
    });
    expect(mug.title).toBe('BLUE CERAMIC MUG'); // the merchant's own field is left alone

    const again = await waitForJob(ctx.api, (await ctx.api.post('/v1/jobs', { type: 'enrichment', select: { all: true } })).json.id);
    expect(again.result).toEqual({ enriched: 0, unchanged: 3 });
    expect((await ctx.api.get('/v1/products/E-1')).json).toEqual(mug);

    const byRef = await waitForJob(ctx.api, (await ctx.api.post('/v1/jobs', { type: 'enrichment', items: [{ sku: 'E-2' }, { sku: 'gone' }] })).json.id);
    expect(byRef).toMatchObject({ processed: 2, failed: 1, failureSummary: [{ reason: 'sku: product not found', count: 1 }] });
  });

  // Before the 10,000-product export, so the selection is the three products above, not 10,000 more.
  it('exports JSON Lines by selection', async () => {
    const job = await waitForJob(
      ctx.api,
      (await ctx.api.post('/v1/jobs', { type: 'export', select: { all: true }, format: 'jsonl' })).json.id,
      120_000,
    );
    expect(job).toMatchObject({ status: 'completed', failed: 0, result: { format: 'jsonl', rows: job.total } });
    const lines = (await download(ctx.api, `/v1/jobs/${job.id}/result`)).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(job.total);
    expect(lines[0]).toMatchObject({ sku: 'E-1', enrichment: { slug: 'blue-ceramic-mug' } });
    expect(lines[0]).not.toHaveProperty('tenantId');
    expect(lines.map((l) => l.sku)).toEqual([...lines.map((l) => l.sku)].sort());
  });

  it('exports 10,000 products: the file has exactly the succeeded rows, in order', { timeout: 240_000 }, async () => {
    // The products are stored directly (imports have their own suites): this test is about the export.
    const all = products(10_000, 0, 'X');
    const now = new Date().toISOString();
    await ctx.stack.deps.products.putMany(all.map((input) => mergeProduct(undefined, input, 'acme', 'seed#0', now).product));
    // every 1000th SKU does not exist, so 10 items fail
    const refs = all.map((p, i) => ({ sku: i % 1000 === 999 ? `${p.sku}-missing` : p.sku }));
    const created = await ctx.api.post('/v1/jobs', { type: 'export', items: refs });
    expect(created.json.format).toBe('csv');
    const job = await waitForJob(ctx.api, created.json.id, 120_000);
    expect(job).toMatchObject({ status: 'completed', total: 10_000, processed: 10_000, failed: 10 });
    expect(job.result).toMatchObject({ format: 'csv', rows: 9990, bytes: expect.any(Number) });

    const file = await download(ctx.api, `/v1/jobs/${job.id}/result`);
    expect(file.status).toBe(200);
    // The presigned link names the download (S3 honours response-content-disposition).
    expect(decodeURIComponent(file.location)).toContain(`filename="export-${job.id}.csv"`);
    expect(Buffer.byteLength(file.text)).toBe(job.result.bytes);
    const [header, ...rows] = await csvRows(file.text);
    expect(header.slice(0, 4)).toEqual(['sku', 'title', 'description', 'price']);
    const expected = refs.filter((r) => !r.sku.endsWith('-missing')).map((r) => r.sku);
    expect(rows.map((row) => row[0])).toEqual(expected);
    expect(rows[1]).toContain('Product 1');
  });

  it('exports a CSV that imports back as the same data', async () => {
    const skus = [{ sku: 'E-1' }, { sku: 'E-2' }, { sku: 'E-3' }];
    const exported = await waitForJob(ctx.api, (await ctx.api.post('/v1/jobs', { type: 'export', items: skus })).json.id);
    const file = await download(ctx.api, `/v1/jobs/${exported.id}/result`);
    expect(file.text).toContain('slug'); // enrichment columns are in the export...
    const reimport = await ctx.api.post('/v1/jobs', { type: 'import', source: { uploadId: await uploadFile(ctx.api, 'export.csv', file.text) } });
    // ...and ignored on import: nothing changes
    expect(await waitForJob(ctx.api, reimport.json.id)).toMatchObject({ status: 'completed', failed: 0, result: { unchanged: 3 } });
    const mug = (await ctx.api.get('/v1/products/E-1')).json;
    expect(mug).not.toHaveProperty('slug');
    expect(mug).not.toHaveProperty('importedBy');
    expect(mug.enrichment).not.toHaveProperty('enrichedBy');
  });

  it('answers 404 for the result of a non-export job and 409 before an export completes', async () => {
    const imported = (await ctx.api.post('/v1/jobs', { type: 'import', items: [] })).json;
    expect((await ctx.api.get(`/v1/jobs/${imported.id}/result`)).status).toBe(404);
    const exporting = (await ctx.api.post('/v1/jobs', { type: 'export', select: { all: true } })).json;
    const early = await ctx.api.get(`/v1/jobs/${exporting.id}/result`);
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('conflict');
    await waitForJob(ctx.api, exporting.id, 120_000);
    expect(await allFailures(ctx.api, exporting.id)).toEqual([]);
  });
});
