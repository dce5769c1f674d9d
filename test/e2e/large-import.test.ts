import { describe, expect, it } from 'vitest';
import { useStack, uploadFile, waitForJob } from '../support/stack';

const ROWS = 100_000;

/** A product CSV of `rows` rows; every 1000th row has a bad price. */
function productCsv(rows: number): Buffer {
  const lines = ['sku,title,price,currency,brand,tags,description'];
  for (let i = 0; i < rows; i++) {
    const price = i % 1000 === 999 ? 'n/a' : (i % 500) + 0.99;
    lines.push(`BIG-${i},"Product ${i}, large",${price},USD,Acme,bulk|csv,"Row ${i} of a ""big"" file"`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

describe('a 100,000-row CSV import on the local stack', () => {
  const ctx = useStack({ chunkSize: 250, workerConcurrency: 3, visibilityTimeoutSeconds: 30 });

  it('streams the file, imports every row and keeps memory bounded', async () => {
    const file = productCsv(ROWS);
    const uploadId = await uploadFile(ctx.api, 'big.csv', file);

    global.gc?.();
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
    const started = Date.now();
    try {
      const created = await ctx.api.post('/v1/jobs', { type: 'import', source: { uploadId } });
      const job = await waitForJob(ctx.api, created.json.id, 600_000);
      const seconds = (Date.now() - started) / 1000;
      const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
      console.info(
        `[100k CSV import] ${mib(file.length)} MiB file, ${ROWS} rows in ${seconds.toFixed(1)} s ` +
          `(${Math.round(ROWS / seconds)} rows/s); process RSS ${mib(baseline)} MiB before, peak ${mib(peak)} MiB ` +
          `(+${mib(peak - baseline)} MiB) — planner, API and worker all run in this process`,
      );
      expect(job).toMatchObject({ status: 'completed', total: ROWS, processed: ROWS, failed: ROWS / 1000 });
      expect(job.result).toEqual({ created: ROWS - ROWS / 1000, updated: 0, unchanged: 0 });
      expect(job.failureSummary).toEqual([{ reason: 'price: must be a number ≥ 0', count: ROWS / 1000 }]);
      const last = (await ctx.api.get(`/v1/products/BIG-${ROWS - 2}`)).json;
      expect(last).toMatchObject({ title: `Product ${ROWS - 2}, large`, description: `Row ${ROWS - 2} of a "big" file` });
      // Bounded: far below what holding the parsed file would take (100k products ≈ several times the file).
      expect(peak - baseline).toBeLessThan(400 * 1024 * 1024);
    } finally {
      clearInterval(sampler);
    }
  }, 660_000);
});
