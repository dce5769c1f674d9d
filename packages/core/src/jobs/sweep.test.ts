import { describe, expect, it } from 'vitest';
import { drain, memoryDeps, type MemoryDeps } from '../adapters/memory/memory-deps';
import { createJob } from './create-job';
import { processChunk } from './process-chunk';
import { sweep } from './sweep';

const products = (count: number) => Array.from({ length: count }, (_, i) => ({ sku: `SKU-${i}`, title: `Product ${i}`, price: 10 }));
const settings = { stallAfterSeconds: 60, maxRedrives: 2 };

async function jobWithLostMessages(deps: MemoryDeps, count: number, committed = 0) {
  const { job } = await createJob(deps, 'acme', { type: 'import', items: products(count) });
  for (const chunk of deps.dispatcher.chunks.slice(0, committed)) await processChunk(deps, chunk);
  deps.dispatcher.lose();
  return job;
}

describe('sweep', () => {
  it('leaves a job alone while it is within its time', async () => {
    const deps = memoryDeps();
    await jobWithLostMessages(deps, 30);
    deps.clock.advance(59);
    expect(await sweep({ ...deps, ...settings })).toMatchObject({ active: 1, stalled: [], failed: [] });
    expect(deps.dispatcher.tasks).toEqual([]);
  });

  it('marks a job without progress stalled and re-drives it, which finishes it to exact counts', async () => {
    const deps = memoryDeps();
    const job = await jobWithLostMessages(deps, 60, 1);
    deps.clock.advance(61);
    const report = await sweep({ ...deps, ...settings });
    expect(report.stalled.map((j) => [j.id, j.stalledRedrives])).toEqual([[job.id, 1]]);
    expect(await deps.jobs.get(job.id)).toMatchObject({ stalledAt: expect.any(String), stalledRedrives: 1 });
    expect(deps.dispatcher.tasks).toEqual([{ kind: 'redrive', jobId: job.id }]);
    await drain(deps);
    const done = (await deps.jobs.get(job.id))!;
    expect(done).toMatchObject({ status: 'completed', processed: 60, failed: 0, result: { created: 60 } });
    expect(done.stalledAt).toBeUndefined();
    // Chunk 0 had committed: only chunks 1 and 2 were sent again.
    expect(deps.dispatcher.chunks.map((chunk) => chunk.n)).toEqual([0, 1, 2, 1, 2]);
  });

  it('fails a job that makes no progress through its re-drives, saying how many items never finished', async () => {
    const deps = memoryDeps();
    const job = await jobWithLostMessages(deps, 30);
    for (let sweepNo = 1; sweepNo <= settings.maxRedrives; sweepNo++) {
      deps.clock.advance(61);
      expect((await sweep({ ...deps, ...settings })).stalled).toHaveLength(1);
      deps.dispatcher.lose(); // the re-drive is lost too
    }
    deps.clock.advance(61);
    const report = await sweep({ ...deps, ...settings });
    expect(report.failed.map((j) => j.id)).toEqual([job.id]);
    expect(await deps.jobs.get(job.id)).toMatchObject({
      status: 'failed',
      error: 'stalled: no progress after 2 re-drives; 30 of 30 items never finished',
    });
    expect((await deps.jobs.listActive(10)).items).toEqual([]);
  });
});
