import { describe, expect, it } from 'vitest';
import { drain, memoryDeps, type MemoryDeps } from '../adapters/memory/memory-deps';
import { createJob } from '../jobs/create-job';
import { inputKey } from '../jobs/job-input';
import { processChunk } from '../jobs/process-chunk';
import { planJob, redriveJob } from './plan-job';

async function uploaded(deps: MemoryDeps, csv: string) {
  const key = 'uploads/acme/u1.csv';
  await deps.jobs.saveUpload({ id: 'u1', tenantId: 'acme', format: 'csv', key, createdAt: deps.now().toISOString() });
  deps.files.put(key, csv, 'text/csv');
  return (await createJob(deps, 'acme', { type: 'import', source: { uploadId: 'u1' } })).job;
}

const csv = (rows: number) => ['sku,title,price', ...Array.from({ length: rows }, (_, i) => `SKU-${i},Mug ${i},${i === 4 ? 'x' : 5}`)].join('\n');

describe('planJob', () => {
  it('reads an upload, sends its chunks, records the total, and the job completes with line numbers on failures', async () => {
    const deps = memoryDeps();
    const job = await uploaded(deps, csv(40));
    expect(job).toMatchObject({ status: 'queued', planning: true, total: 0 });
    expect(deps.dispatcher.tasks).toEqual([{ kind: 'plan', jobId: job.id }]);
    await drain(deps);
    expect(deps.dispatcher.chunks.map((chunk) => chunk.items.length)).toEqual([25, 15]);
    const done = (await deps.jobs.get(job.id))!;
    expect(done).toMatchObject({ status: 'completed', total: 40, processed: 40, failed: 1, chunkCount: 2 });
    expect(done.planning).toBeUndefined();
    expect((await deps.jobs.listFailures(job.id, 10)).items).toEqual([expect.objectContaining({ index: 4, line: 6 })]);
  });

  it('skips a job that is no longer planning, and fails one whose upload is gone', async () => {
    const deps = memoryDeps();
    const job = await uploaded(deps, csv(3));
    deps.files.files.delete('uploads/acme/u1.csv');
    expect(await planJob(deps, job.id)).toBe('failed');
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'failed', error: 'upload u1 has no file (the job\'s input is gone)' });
    expect(await planJob(deps, job.id)).toBe('skipped');
    expect(deps.dispatcher.chunks).toEqual([]);
  });
});

describe('redriveJob', () => {
  it('sends again exactly the chunks that never committed, cut as the first time', async () => {
    const deps = memoryDeps();
    const { job } = await createJob(deps, 'acme', { type: 'import', items: Array.from({ length: 70 }, (_, i) => ({ sku: `S-${i}`, title: 'Mug', price: 1 })) });
    const sent = [...deps.dispatcher.chunks];
    await processChunk(deps, sent[1]);
    deps.dispatcher.lose();
    expect(await redriveJob(deps, job.id)).toBe('redriven');
    expect(deps.dispatcher.chunks.slice(3)).toEqual([sent[0], sent[2]]);
    await drain(deps);
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'completed', processed: 70, failed: 0 });
  });

  it('never sends chunks past the ones the job counted, even when its file grew since', async () => {
    const deps = memoryDeps();
    const job = await uploaded(deps, csv(50));
    await planJob(deps, job.id);
    const sent = [...deps.dispatcher.chunks];
    expect(sent.map((chunk) => chunk.n)).toEqual([0, 1]);
    await processChunk(deps, sent[0]);
    deps.dispatcher.lose();
    deps.files.put('uploads/acme/u1.csv', csv(90), 'text/csv'); // rows appended after the job was planned
    expect(await redriveJob(deps, job.id)).toBe('redriven');
    expect(deps.dispatcher.chunks.slice(2)).toEqual([sent[1]]);
    await drain(deps);
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'completed', total: 50, processed: 50 });
  });

  it("fails the job when its input is gone, saying so", async () => {
    const deps = memoryDeps();
    const { job } = await createJob(deps, 'acme', { type: 'import', items: [{ sku: 'A', price: 1 }] });
    deps.dispatcher.lose();
    deps.files.files.delete(inputKey(job));
    expect(await redriveJob(deps, job.id)).toBe('failed');
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^the job's input is gone/) });
  });

  it('settles a job whose items have all finished instead of sending anything', async () => {
    const deps = memoryDeps();
    const { job } = await createJob(deps, 'acme', { type: 'import', items: [{ sku: 'A', price: 1 }] });
    await deps.jobs.commitChunk(job.id, { chunk: 0, processed: 1, failures: [] }, { completeWhenDone: false });
    deps.dispatcher.lose();
    expect(await redriveJob(deps, job.id)).toBe('skipped');
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'completed' });
    expect(deps.dispatcher.chunks).toHaveLength(1);
  });
});

describe('a selection planned again', () => {
  const importProducts = async (deps: MemoryDeps, skus: string[]) => {
    await createJob(deps, 'acme', { type: 'import', items: skus.map((sku) => ({ sku, title: 'Mug', price: 1 })) });
    await drain(deps);
  };
  const sku = (i: number) => `P-${String(i).padStart(3, '0')}`;

  it('re-drives the chunks of the selection as it was when first planned, whatever changed since', async () => {
    const deps = memoryDeps();
    await importProducts(deps, Array.from({ length: 60 }, (_, i) => sku(2 * i))); // P-000, P-002, … P-118
    const { job } = await createJob(deps, 'acme', { type: 'export', select: { all: true } });
    expect(await planJob(deps, job.id)).toBe('planned');
    const sent = deps.dispatcher.chunks.filter((chunk) => chunk.jobId === job.id);
    expect(sent.map((chunk) => chunk.items.length)).toEqual([25, 25, 10]);
    await processChunk(deps, sent[0]);
    deps.dispatcher.lose();

    // Meanwhile the selection changes: 60 more products sort in between the first ones.
    await importProducts(deps, Array.from({ length: 60 }, (_, i) => sku(2 * i + 1)));
    expect(await redriveJob(deps, job.id)).toBe('redriven');
    const resent = deps.dispatcher.chunks.filter((chunk) => chunk.jobId === job.id).slice(sent.length);
    expect(resent).toEqual([sent[1], sent[2]]);
    await drain(deps);
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'completed', total: 60, processed: 60, failed: 0 });
  });

  it('plans an unfinished planning again from the same selection', async () => {
    const deps = memoryDeps();
    await importProducts(deps, Array.from({ length: 30 }, (_, i) => sku(2 * i)));
    const { job } = await createJob(deps, 'acme', { type: 'export', select: { all: true } });
    // The first planning sent its chunks and died before it recorded the total.
    const finishPlanning = deps.jobs.finishPlanning;
    deps.jobs.finishPlanning = async () => {
      throw new Error('planner crashed');
    };
    await expect(planJob(deps, job.id)).rejects.toThrow('planner crashed');
    deps.jobs.finishPlanning = finishPlanning;
    const sent = deps.dispatcher.chunks.filter((chunk) => chunk.jobId === job.id);
    deps.dispatcher.lose();

    await importProducts(deps, Array.from({ length: 30 }, (_, i) => sku(2 * i + 1)));
    expect(await planJob(deps, job.id)).toBe('planned');
    expect(deps.dispatcher.chunks.filter((chunk) => chunk.jobId === job.id).slice(sent.length)).toEqual(sent);
    await drain(deps);
    expect(await deps.jobs.get(job.id)).toMatchObject({ status: 'completed', total: 30, processed: 30 });
  });
});
