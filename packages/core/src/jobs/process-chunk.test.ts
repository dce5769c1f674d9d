import { describe, expect, it } from 'vitest';
import { drain, memoryDeps, type MemoryDeps } from '../adapters/memory/memory-deps';
import { processors } from '../processors';
import { createJob } from './create-job';
import { cancelJob } from './lifecycle';
import { processChunk } from './process-chunk';

const products = (count: number, prefix = 'SKU') =>
  Array.from({ length: count }, (_, i) => ({ sku: `${prefix}-${i}`, title: `Product ${i}`, price: 10 + i }));

async function importJob(deps: MemoryDeps, items: unknown[]) {
  const { job } = await createJob(deps, 'acme', { type: 'import', items });
  return job;
}

describe('processChunk', () => {
  it('commits a chunk once: a redelivery is a duplicate and counts nothing', async () => {
    const deps = memoryDeps();
    const job = await importJob(deps, products(30));
    const [first] = deps.dispatcher.chunks;
    expect(await processChunk(deps, first)).toBe('committed');
    expect(await processChunk(deps, first, 2)).toBe('duplicate');
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'running', processed: 25, result: { created: 25 } });
    expect(await deps.jobs.committedChunks(job.id)).toEqual(new Set([0]));
    expect(await deps.products.get('acme', 'SKU-0')).toMatchObject({ title: 'Product 0', price: 10 });
  });

  it('completes the job with the commit of its last chunk, and records invalid items with their reason and attempt', async () => {
    const deps = memoryDeps();
    const items = products(30);
    items[3].price = -1;
    const job = await importJob(deps, items);
    const [first, second] = deps.dispatcher.chunks;
    await processChunk(deps, second);
    expect(await processChunk(deps, first, 3)).toBe('committed');
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'completed', processed: 30, failed: 1, result: { created: 29 } });
    const [failure] = (await deps.jobs.listFailures(job.id, 10)).items;
    expect(failure).toMatchObject({ index: 3, attempts: 3, item: { sku: 'SKU-3' }, reason: expect.stringMatching(/^price: /) });
  });

  it('skips the chunks of a cancelled job without doing their work', async () => {
    const deps = memoryDeps();
    const job = await importJob(deps, products(30));
    expect(await cancelJob(deps, job.id)).toMatchObject({ status: 'cancelled' });
    for (const chunk of deps.dispatcher.chunks) expect(await processChunk(deps, chunk)).toBe('skipped');
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'cancelled', processed: 0 });
    expect(await deps.jobs.committedChunks(job.id)).toEqual(new Set());
    expect(await deps.products.get('acme', 'SKU-0')).toBeUndefined();
  });

  it('after every delivery failed, runs the chunk once more item by item: only the breaking item fails, with its error', async () => {
    const deps = memoryDeps({
      processors: {
        ...processors,
        import: async (chunk, deps) => {
          if (chunk.items.some((item) => (item as { sku: string }).sku === 'SKU-7')) throw new Error('the database said no');
          return processors.import(chunk, deps);
        },
      },
    });
    const job = await importJob(deps, products(30));
    const report = await drain(deps);
    expect(report.deadChunks.map((chunk) => chunk.n)).toEqual([0]);
    expect(report.errors).toHaveLength(5);
    expect(await deps.jobs.lastChunkError(job.id, 0)).toBe('the database said no');
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'completed', processed: 30, failed: 1, result: { created: 29 } });
    expect((await deps.jobs.listFailures(job.id, 10)).items).toEqual([
      { index: 7, item: products(30)[7], reason: 'exhausted retries: the database said no', attempts: 5 },
    ]);
    expect(await deps.products.get('acme', 'SKU-6')).toBeDefined();
    expect(await deps.products.get('acme', 'SKU-7')).toBeUndefined();
  });
});
