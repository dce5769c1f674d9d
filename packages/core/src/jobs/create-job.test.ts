import { describe, expect, it, vi } from 'vitest';
import { memoryDeps } from '../adapters/memory/memory-deps';
import { createJob } from './create-job';
import { inputKey } from './job-input';

const items = (count: number) => Array.from({ length: count }, (_, i) => ({ sku: `SKU-${i}`, title: 'Mug', price: 5 }));

describe('createJob', () => {
  it('stores the input, sends its chunks and marks the job running', async () => {
    const deps = memoryDeps();
    const { job, created } = await createJob(deps, 'acme', { type: 'import', items: items(60) });
    expect(created).toBe(true);
    expect(job).toMatchObject({ status: 'running', total: 60, chunkCount: 3 });
    expect(deps.dispatcher.chunks.map((chunk) => [chunk.n, chunk.start, chunk.items.length])).toEqual([[0, 0, 25], [1, 25, 25], [2, 50, 10]]);
    expect(JSON.parse(deps.files.text(inputKey(job))!)).toEqual(items(60));
  });

  it('answers a repeat with the same Idempotency-Key with the same job and sends nothing again', async () => {
    const deps = memoryDeps();
    const first = await createJob(deps, 'acme', { type: 'import', items: items(30) }, 'key-1');
    const repeat = await createJob(deps, 'acme', { type: 'import', items: items(30) }, 'key-1');
    expect(repeat).toMatchObject({ created: false, job: { id: first.job.id } });
    expect(deps.dispatcher.chunks).toHaveLength(2);
    expect([...deps.files.files.keys()]).toEqual([inputKey(first.job)]);
    await expect(createJob(deps, 'acme', { type: 'import', items: items(31) }, 'key-1')).rejects.toMatchObject({ status: 409 });
    expect((await createJob(deps, 'globex', { type: 'import', items: items(30) }, 'key-1')).job.id).not.toBe(first.job.id);
  });

  it('completes a job without items at once, sending nothing', async () => {
    const deps = memoryDeps();
    const { job } = await createJob(deps, 'acme', { type: 'import', items: [] });
    expect(job).toMatchObject({ status: 'completed', total: 0, completedAt: expect.any(String) });
    expect(deps.dispatcher.chunks).toEqual([]);
  });

  it('without a key, fails the job whose work could not be queued (503)', async () => {
    const deps = memoryDeps();
    vi.spyOn(deps.dispatcher, 'send').mockRejectedValueOnce(new Error('queue unavailable'));
    const error = await createJob(deps, 'acme', { type: 'import', items: items(30) }).catch((e) => e);
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('send the request again') });
    const [job] = (await deps.jobs.list('acme', {}, 10)).items;
    expect(job).toMatchObject({ status: 'failed', error: "could not queue the job's work: queue unavailable" });
  });

  it('with a key, keeps the job for the sweeper and returns it to the repeat (503, then 200)', async () => {
    const deps = memoryDeps();
    vi.spyOn(deps.dispatcher, 'send').mockRejectedValueOnce(new Error('queue unavailable'));
    const error = await createJob(deps, 'acme', { type: 'import', items: items(30) }, 'key-2').catch((e) => e);
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('the same Idempotency-Key returns it') });
    const repeat = await createJob(deps, 'acme', { type: 'import', items: items(30) }, 'key-2');
    expect(repeat).toMatchObject({ created: false, job: { status: 'queued', total: 30 } });
    expect((await deps.jobs.listActive(10)).items.map((job) => job.id)).toEqual([repeat.job.id]);
    expect(deps.dispatcher.chunks).toEqual([]);
  });

  it('refuses an upload that is unknown, of another tenant, or not uploaded yet', async () => {
    const deps = memoryDeps();
    await deps.jobs.saveUpload({ id: 'u1', tenantId: 'acme', format: 'csv', key: 'uploads/acme/u1.csv', createdAt: deps.now().toISOString() });
    const create = (tenant: string, uploadId: string) => createJob(deps, tenant, { type: 'import', source: { uploadId } });
    await expect(create('acme', 'nope')).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/does not exist/) });
    await expect(create('globex', 'u1')).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/does not exist/) });
    await expect(create('acme', 'u1')).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/nothing was uploaded yet/) });
    expect((await deps.jobs.list('acme', {}, 10)).items).toEqual([]);
  });
});
