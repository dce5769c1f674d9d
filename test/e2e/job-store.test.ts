import { randomUUID } from 'node:crypto';
import { checkStorable } from '@merchantops/core/limits/storable';
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

  const failing = (n: number, count: number, reason = (i: number) => `price: is required ${i % 3}`) =>
    Array.from({ length: count }, (_, i) => ({ index: n * 10 + i, item: { sku: `s${n}-${i}` }, reason: reason(i) }));

  it('commits a chunk once: the second commit is a duplicate and changes nothing', async () => {
    const { job } = await store.create(newJob(10));
    const failure = { index: 3, item: { sku: 'x' }, reason: 'price: is required' };
    const commit = { chunk: 0, processed: 5, failures: [failure] };
    expect(await store.commitChunk(job.id, commit)).toEqual({ status: 'committed', done: false });
    expect(await store.commitChunk(job.id, commit)).toEqual({ status: 'duplicate' });
    expect(await store.get(job.id)).toMatchObject({ processed: 5, failed: 1, failureReasons: { 'price: is required': 1 } });
    expect((await store.listFailures(job.id, 10)).items).toEqual([failure]);
  });

  it('counts every chunk of many concurrent commits exactly once', async () => {
    const { job } = await store.create(newJob(400));
    const commits = Array.from({ length: 40 }, (_, n) => [n, n]).flat(); // each chunk twice, racing
    const results = await Promise.all(commits.map((n) => store.commitChunk(job.id, { chunk: n, processed: 10, failures: failing(n, 1) })));
    expect(results.filter((r) => r.status === 'committed')).toHaveLength(40);
    // The last of them (whichever it was) found out by its own condition and completed the job.
    expect(results.filter((r) => r.status === 'committed' && r.completed)).toHaveLength(1);
    expect(await store.get(job.id)).toMatchObject({ processed: 400, failed: 40, status: 'completed' });
  });

  it('refuses commits to a finished job without counting them', async () => {
    const { job } = await store.create(newJob(20));
    await store.transition(job.id, ['running'], 'cancelled');
    expect(await store.commitChunk(job.id, { chunk: 0, processed: 10, failures: [] })).toEqual({ status: 'inactive' });
    expect(await store.get(job.id)).toMatchObject({ processed: 0, status: 'cancelled' });
    expect(await store.committedChunks(job.id)).toEqual(new Set());
  });

  it('keeps the commit constant whatever fails: one record per chunk, failures paginated across records', async () => {
    const { job } = await store.create(newJob(250 * 3));
    // 250 failures per chunk, each with its own reason naming a user-chosen key.
    for (const n of [0, 1, 2]) {
      const failures = Array.from({ length: 250 }, (_, i) => ({
        index: n * 250 + i,
        item: { sku: `s${n}-${i}`, attributes: { [`key-${n}-${i}`]: 'x'.repeat(100) } },
        reason: `attributes.key-${n}-${i}: ${'values must be strings '.repeat(30)}`,
      }));
      expect(await store.commitChunk(job.id, { chunk: n, processed: 250, failures })).toMatchObject({ status: 'committed' });
    }
    const stored = (await store.get(job.id))!;
    expect(stored).toMatchObject({ processed: 750, failed: 750, status: 'completed' });
    // Bounded summary: at most 20 reasons by name, the rest counted as other reasons.
    expect(Object.keys(stored.failureReasons!).length).toBe(20);
    const named = Object.values(stored.failureReasons!).reduce((a, b) => a + b, 0);
    expect(named + stored.otherReasons!).toBe(750);
    // Under 4 KB by DynamoDB's rules: a commit's update of it costs at most 8 write units.
    expect(checkStorable(stored).bytes).toBeLessThan(4096);
    // Every failure is listed once, in order, across pages that cross chunk records.
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listFailures(job.id, 97, cursor);
      seen.push(...page.items.map((f) => f.index));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 750 }, (_, i) => i));
    expect(await store.committedChunks(job.id)).toEqual(new Set([0, 1, 2]));
  });

  it('lists failures in order across the shards of chunk records, whatever the page size', async () => {
    const { job } = await store.create(newJob(40 * 10));
    // Every third chunk has failures (n % 7 of them), the others none.
    const expected: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, n) => {
        const count = n % 3 === 0 ? n % 7 : 0;
        const failures = Array.from({ length: count }, (_, i) => ({ index: n * 10 + i, item: { sku: `s${n}` }, reason: 'bad' }));
        return store.commitChunk(job.id, { chunk: n, processed: 10, failures });
      }),
    );
    for (let n = 0; n < 40; n++) for (let i = 0; i < (n % 3 === 0 ? n % 7 : 0); i++) expected.push(n * 10 + i);
    for (const pageSize of [1, 4, 7, 1000]) {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listFailures(job.id, pageSize, cursor);
        expect(page.items.length).toBeLessThanOrEqual(pageSize);
        seen.push(...page.items.map((f) => f.index));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, `pages of ${pageSize}`).toEqual(expected);
    }
    expect((await store.committedChunks(job.id)).size).toBe(40);
  });

  it('bounds the retries of one job', async () => {
    const original = newJob(1, 'completed');
    await store.create({ ...original, retries: Array.from({ length: 25 }, () => randomUUID()) } as Job);
    const retry = { ...newJob(1, 'queued'), retryOf: original.id };
    await expect(store.create(retry)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('retried 25 times') });
    expect(await store.get(retry.id)).toBeUndefined();
  });

  it('keeps a bounded preview of an item too large to keep whole', async () => {
    const { job } = await store.create(newJob(1));
    const big = { sku: 'big', description: 'd'.repeat(40_000) };
    await store.commitChunk(job.id, { chunk: 0, processed: 1, failures: [{ index: 0, item: big, reason: 'too big' }] });
    const [failure] = (await store.listFailures(job.id, 10)).items;
    expect(failure.item).toBeUndefined();
    expect(failure.preview!.length).toBeLessThanOrEqual(501);
    expect(failure.preview!.startsWith('{"sku":"big"')).toBe(true);
  });

  it('completes a job exactly once when many callers race', async () => {
    const { job } = await store.create(newJob(1));
    expect(await store.complete(job.id)).toBeUndefined(); // not done yet
    // Without completeWhenDone (an export waits for its file), the last commit only counts.
    expect(await store.commitChunk(job.id, { chunk: 0, processed: 1, failures: [] }, { completeWhenDone: false })).toEqual({
      status: 'committed',
      done: true,
    });
    const winners = await Promise.all(Array.from({ length: 8 }, () => store.complete(job.id)));
    expect(winners.filter(Boolean)).toHaveLength(1);
    expect(winners.find(Boolean)).toMatchObject({ id: job.id, status: 'completed', processed: 1 });
    expect(await store.get(job.id)).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
  });

  it('does not complete a cancelled job', async () => {
    const { job } = await store.create(newJob(1));
    expect(await store.transition(job.id, ['queued', 'running'], 'cancelled')).toMatchObject({ status: 'cancelled' });
    await store.commitChunk(job.id, { chunk: 0, processed: 1, failures: [] });
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
