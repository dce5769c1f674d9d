import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DynamoJobStore } from '@merchantops/core/adapters/aws/dynamo-job-store';
import { documentClient } from '@merchantops/core/adapters/aws/clients';
import { bootstrapResources } from '@merchantops/local/bootstrap';
import { localDynamo, localS3, localSqs } from '@merchantops/local/clients';
import type { Job } from '@merchantops/core/jobs/job';

/** The job store against DynamoDB Local: the guarantees the pipeline rests on. */
describe('DynamoJobStore', () => {
  let store: DynamoJobStore;

  beforeAll(async () => {
    const dynamo = localDynamo(inject('dynamoEndpoint'));
    const clients = { dynamo, sqs: localSqs(inject('sqsEndpoint')), s3: localS3(inject('sqsEndpoint')) };
    const resources = await bootstrapResources(clients, `s${randomUUID().slice(0, 8)}`, 2);
    store = new DynamoJobStore(documentClient(dynamo), resources.jobsTable);
  });

  const newJob = (total: number, status: Job['status'] = 'running'): Job => ({
    id: randomUUID(),
    tenantId: 'acme',
    type: 'import',
    status,
    total,
    processed: 0,
    failed: 0,
    chunkCount: 1,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    source: { kind: 'items' },
  });

  it('commits a chunk once: the second commit is a duplicate and changes nothing', async () => {
    const { job } = await store.create(newJob(10));
    const failure = { index: 3, item: { sku: 'x' }, reason: 'price: is required' };
    expect(await store.commitChunk(job.id, 0, { processed: 5, failed: 1 }, [failure])).toBe('committed');
    expect(await store.commitChunk(job.id, 0, { processed: 5, failed: 1 }, [failure])).toBe('duplicate');
    expect(await store.get(job.id)).toMatchObject({ processed: 5, failed: 1 });
    expect((await store.listFailures(job.id, 10)).items).toEqual([failure]);
  });

  it('counts every chunk of many concurrent commits exactly once', async () => {
    const { job } = await store.create(newJob(400));
    const commits = Array.from({ length: 40 }, (_, n) => [n, n]).flat(); // each chunk twice, racing
    const results = await Promise.all(commits.map((n) => store.commitChunk(job.id, n, { processed: 10, failed: 1 }, [])));
    expect(results.filter((r) => r === 'committed')).toHaveLength(40);
    expect(await store.get(job.id)).toMatchObject({ processed: 400, failed: 40 });
  });

  it('completes a job exactly once when many callers race', async () => {
    const { job } = await store.create(newJob(1));
    expect(await store.complete(job.id)).toBeUndefined(); // not done yet
    await store.commitChunk(job.id, 0, { processed: 1, failed: 0 }, []);
    const winners = await Promise.all(Array.from({ length: 8 }, () => store.complete(job.id)));
    expect(winners.filter(Boolean)).toHaveLength(1);
    expect(winners.find(Boolean)).toMatchObject({ id: job.id, status: 'completed', processed: 1 });
    expect(await store.get(job.id)).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
  });

  it('does not complete a cancelled job', async () => {
    const { job } = await store.create(newJob(1));
    expect(await store.transition(job.id, ['queued', 'running'], 'cancelled')).toMatchObject({ status: 'cancelled' });
    await store.commitChunk(job.id, 0, { processed: 1, failed: 0 }, []);
    expect(await store.complete(job.id)).toBeUndefined();
    expect((await store.get(job.id))?.status).toBe('cancelled');
    expect(await store.transition(job.id, ['queued', 'running'], 'running')).toBeUndefined();
  });

  it('creates one job for racing requests with one idempotency key', async () => {
    const key = randomUUID();
    const attempts = Array.from({ length: 6 }, () => newJob(5, 'queued'));
    const results = await Promise.all(attempts.map((job) => store.create(job, { key, requestHash: 'h1' })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect(results.find((r) => !r.created)?.requestHash).toBe('h1');
  });

  it('remembers the last error of a chunk', async () => {
    const { job } = await store.create(newJob(1));
    expect(await store.lastChunkError(job.id, 0)).toBeUndefined();
    await store.recordChunkError(job.id, 0, 'first');
    await store.recordChunkError(job.id, 0, 'second');
    expect(await store.lastChunkError(job.id, 0)).toBe('second');
  });
});
