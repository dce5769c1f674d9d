import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkStorable } from '@merchantops/core/limits/storable';
import type { Job } from '@merchantops/core/jobs/job';
import type { JobStore } from '@merchantops/core/ports';

/**
 * The job store's guarantees, the ones the pipeline rests on. The same cases
 * run on DynamoJobStore against DynamoDB Local (test/e2e/job-store.test.ts)
 * and on MemoryJobStore in the unit layer (adapters/memory/memory-job-store.test.ts),
 * so the in-memory store the unit tests use behaves as the real one does.
 */
export function jobStoreContract(name: string, makeStore: () => JobStore | Promise<JobStore>) {
  describe(`${name} (job store contract)`, () => {
    let store: JobStore;

    beforeAll(async () => {
      store = await makeStore();
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

    it('lets commits made while planning count, and makes the total exact when planning finishes', async () => {
      const { job } = await store.create({ ...newJob(0, 'queued'), planning: true });
      expect(await store.commitChunk(job.id, { chunk: 1, processed: 10, failures: [] })).toEqual({ status: 'committed', done: false });
      expect(await store.complete(job.id)).toBeUndefined(); // still planning
      expect(await store.finishPlanning(job.id, 15, 2)).toMatchObject({ total: 15, chunkCount: 2, processed: 10 });
      expect((await store.get(job.id))?.planning).toBeUndefined();
      expect(await store.finishPlanning(job.id, 15, 2)).toBeUndefined(); // once
      // The last chunk finds out by itself that it is the last, and completes the job.
      const last = await store.commitChunk(job.id, { chunk: 0, processed: 5, failures: [] });
      expect(last).toMatchObject({ status: 'committed', done: true, completed: { id: job.id, status: 'completed', processed: 15 } });
    });

    it('marks an active job stalled, clears the stall on progress, and lists only active jobs, oldest first', async () => {
      const older = { ...newJob(20), createdAt: '2020-01-01T00:00:00.000Z' };
      const newer = { ...newJob(20), createdAt: '2020-01-02T00:00:00.000Z' };
      const done = { ...newJob(20, 'completed'), createdAt: '2020-01-01T12:00:00.000Z' };
      for (const job of [newer, done, older]) await store.create(job);
      expect(await store.markStalled(older.id, 2)).toMatchObject({ stalledRedrives: 2, stalledAt: expect.any(String), redrivenAt: expect.any(String) });
      expect(await store.markStalled(done.id, 1)).toBeUndefined();
      await store.commitChunk(older.id, { chunk: 0, processed: 10, failures: [] });
      const progressed = (await store.get(older.id))!;
      expect(progressed.stalledAt).toBeUndefined();
      expect(progressed.stalledRedrives).toBeUndefined();
      expect(progressed.redrivenAt).toEqual(expect.any(String));

      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listActive(2, cursor);
        expect(page.items.length).toBeLessThanOrEqual(2);
        listed.push(...page.items.map((job) => job.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(listed.filter((id) => [older.id, newer.id, done.id].includes(id))).toEqual([older.id, newer.id]);
      await store.transition(newer.id, ['running'], 'failed', 'x'.repeat(2000));
      expect(await store.get(newer.id)).toMatchObject({ status: 'failed', completedAt: expect.any(String) });
      expect((await store.get(newer.id))!.error).toHaveLength(1000);
      expect((await store.listActive(1000)).items.map((job) => job.id)).not.toContain(newer.id);
    });

    it("lists a tenant's jobs newest first, filtered, a page at a time, and no other tenant's", async () => {
      const tenantId = `t-${randomUUID()}`;
      const jobs = Array.from({ length: 5 }, (_, i) => ({
        ...newJob(1, i % 2 ? 'queued' : 'completed'),
        tenantId,
        createdAt: `2021-01-0${i + 1}T00:00:00.000Z`,
      }));
      for (const job of jobs) await store.create(job);
      await store.create({ ...newJob(1), tenantId: `${tenantId}-other` });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(tenantId, {}, 2, cursor);
        seen.push(...page.items.map((job) => job.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(jobs.map((job) => job.id).reverse());
      const queued = await store.list(tenantId, { status: 'queued' }, 10);
      expect(queued.items.map((job) => job.id)).toEqual([jobs[3].id, jobs[1].id]);
      expect(await store.list(`${tenantId}-none`, {}, 10)).toEqual({ items: [], nextCursor: null });
    });

    it('refuses a cursor of another job, and garbage', async () => {
      const { job } = await store.create(newJob(20));
      const other = (await store.create(newJob(20))).job;
      for (const id of [job.id, other.id]) await store.commitChunk(id, { chunk: 0, processed: 10, failures: failing(0, 3) });
      const page = await store.listFailures(job.id, 1);
      expect(page.items).toHaveLength(1);
      await expect(store.listFailures(other.id, 1, page.nextCursor!)).rejects.toMatchObject({ status: 400 });
      await expect(store.listFailures(job.id, 1, 'garbage')).rejects.toMatchObject({ status: 400 });
      expect((await store.listFailures(job.id, 5, page.nextCursor!)).items.map((f) => f.index)).toEqual([1, 2]);
    });

    it('links a retry job from the job it retries', async () => {
      const { job: original } = await store.create(newJob(1, 'completed'));
      const retry = { ...newJob(1, 'queued'), retryOf: original.id };
      await store.create(retry);
      expect((await store.get(original.id))?.retries).toEqual([retry.id]);
      await expect(store.create({ ...newJob(1, 'queued'), retryOf: randomUUID() })).rejects.toMatchObject({ status: 409 });
    });

    it('finds a job by its idempotency key, for its own tenant only', async () => {
      const key = randomUUID();
      const { job } = await store.create(newJob(2, 'queued'), { key, requestHash: 'h' });
      expect(await store.findByIdempotencyKey('acme', key)).toMatchObject({ job: { id: job.id }, requestHash: 'h' });
      expect(await store.findByIdempotencyKey('globex', key)).toBeUndefined();
      const again = await store.create(newJob(2, 'queued'), { key, requestHash: 'other' });
      expect(again).toMatchObject({ created: false, job: { id: job.id }, requestHash: 'h' });
    });

    it('keeps uploads', async () => {
      const upload = { id: randomUUID(), tenantId: 'acme', format: 'csv' as const, key: 'uploads/acme/x.csv', createdAt: new Date().toISOString() };
      await store.saveUpload(upload);
      expect(await store.getUpload(upload.id)).toEqual(upload);
      expect(await store.getUpload(randomUUID())).toBeUndefined();
    });
  });
}
