import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { createWorkerHandler } from '@merchantops/functions/worker/handler';
import { SqsEventSource } from '@merchantops/local/event-source';
import { localSqs } from '@merchantops/local/clients';
import { inject } from 'vitest';
import { overrideDispatcher, overrideJobs, once } from '../support/faults';
import { products, useStack, waitFor, waitForJob, type Api } from '../support/stack';

/** Starts an import of `count` products (every 10th invalid) and waits for it to finish. */
async function runImport(api: Api, count: number, prefix: string) {
  const created = await api.post('/v1/jobs', { type: 'import', items: products(count, 10, prefix) });
  expect(created.status).toBe(202);
  return waitForJob(api, created.json.id, 60_000);
}

async function failureCount(api: Api, jobId: string) {
  return (await api.get(`/v1/jobs/${jobId}/failures?limit=1000`)).json.failures.length;
}

describe('every message delivered twice', () => {
  let sent = 0;
  let committed = 0;
  const ctx = useStack({
    workerDeps: (deps) =>
      overrideJobs(deps, {
        async commitChunk(...args) {
          const result = await deps.jobs.commitChunk(...args);
          if (result.status === 'committed') committed++;
          return result;
        },
      }),
    apiDeps: (deps) =>
      overrideDispatcher(deps, {
        async send(chunks) {
          await deps.dispatcher.send(chunks);
          await deps.dispatcher.send(chunks);
          sent += chunks.length * 2;
        },
      }),
  });

  it('counts each item once', async () => {
    const job = await runImport(ctx.api, 300, 'DUP');
    expect(job).toMatchObject({ status: 'completed', total: 300, processed: 300, failed: 30, progress: 100 });
    expect(await failureCount(ctx.api, job.id)).toBe(30);
    // 12 chunks, each on the queue twice; each committed once. (Copies that arrive
    // after completion are skipped; those before it fail the chunk marker's condition.)
    expect(sent).toBe(24);
    expect(committed).toBe(12);
  });
});

describe('worker crashes after the work, before the commit', () => {
  const crash = once();
  let crashes = 0;
  const ctx = useStack({
    workerDeps: (deps) =>
      overrideJobs(deps, {
        async commitChunk(jobId, commit, options) {
          if (crash(`${jobId}#${commit.chunk}`)) {
            crashes++;
            throw new Error('simulated crash before commit');
          }
          return deps.jobs.commitChunk(jobId, commit, options);
        },
      }),
  });

  it('redelivers and counts each item once', async () => {
    const job = await runImport(ctx.api, 200, 'PRE');
    expect(job).toMatchObject({ status: 'completed', total: 200, processed: 200, failed: 20 });
    expect(await failureCount(ctx.api, job.id)).toBe(20);
    expect(crashes).toBe(8);
  });
});

describe('worker crashes after the commit, before the ack', () => {
  const crash = once();
  const outcomes: string[] = [];
  const ctx = useStack({
    workerDeps: (deps) =>
      overrideJobs(deps, {
        async commitChunk(jobId, commit, options) {
          const result = await deps.jobs.commitChunk(jobId, commit, options);
          outcomes.push(result.status);
          if (crash(`${jobId}#${commit.chunk}`)) throw new Error('simulated crash after commit');
          return result;
        },
      }),
  });

  it('treats the redelivery as a duplicate and still completes the job', async () => {
    const job = await runImport(ctx.api, 200, 'POST');
    expect(job).toMatchObject({ status: 'completed', total: 200, processed: 200, failed: 20 });
    // Every chunk committed exactly once. No first delivery got to the completion
    // check, so the job was completed by a redelivery recognised as a duplicate
    // (redeliveries after that are skipped: the job has finished).
    // The last commit completes the job in its own transaction, so the job can read as completed a moment
    // before the worker gets the answer and records it (seen once on a machine loaded twice over).
    const committed = () => outcomes.filter((o) => o === 'committed').length;
    await waitFor(async () => (committed() >= 8 ? true : undefined), 'the last commit to be recorded', 10_000);
    expect(committed()).toBe(8);
    expect(outcomes.every((o) => o === 'committed' || o === 'duplicate')).toBe(true);
  });
});

describe('a chunk that always fails transiently', () => {
  const ctx = useStack({
    visibilityTimeoutSeconds: 1,
    workerDeps: (deps) => ({
      ...deps,
      processors: {
        ...deps.processors,
        async import(chunk, processorDeps) {
          if (chunk.n === 1) throw new Error('supplier API timed out');
          return deps.processors.import(chunk, processorDeps);
        },
      },
    }),
  });

  it('goes to the dead-letter queue and is counted failed, so the job completes', async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(60, 0, 'DLQ') });
    const job = await waitForJob(ctx.api, created.json.id, 60_000);
    // chunk 1 holds items 25..49
    expect(job).toMatchObject({ status: 'completed', total: 60, processed: 60, failed: 25, succeeded: 35 });
    const { failures } = (await ctx.api.get(`/v1/jobs/${job.id}/failures?limit=100`)).json;
    expect(failures.map((f: any) => f.index)).toEqual(Array.from({ length: 25 }, (_, i) => 25 + i));
    expect(new Set(failures.map((f: any) => f.reason))).toEqual(new Set(['exhausted retries: supplier API timed out']));
    expect((await ctx.api.get('/v1/products/DLQ-00030')).status).toBe(404);
    expect((await ctx.api.get('/v1/products/DLQ-00050')).status).toBe(200);
  });
});

describe('two workers polling at once', () => {
  const ctx = useStack({ chunkSize: 5, workerConcurrency: 2 });

  it('counts exactly while both take chunks', async () => {
    const seen: string[] = [];
    const counting = (name: string) => {
      const handler = createWorkerHandler(ctx.stack.deps);
      return async (event: SQSEvent) => {
        seen.push(name);
        return handler(event);
      };
    };
    // A second, independent consumer of the same queue, beside the stack's own.
    const second = new SqsEventSource({
      sqs: localSqs(inject('sqsEndpoint')),
      queueUrl: ctx.stack.resources.itemsQueueUrl,
      queueArn: ctx.stack.resources.itemsQueueArn,
      handler: counting('second'),
      batchSize: 10,
      concurrency: 2,
    }).start();
    try {
      const job = await runImport(ctx.api, 1000, 'PAR');
      expect(job).toMatchObject({ status: 'completed', total: 1000, processed: 1000, failed: 100 });
      expect(await failureCount(ctx.api, job.id)).toBe(100);
      expect(seen.length).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  });
});

describe('SQS refuses the dispatch', () => {
  let refuse = 0;
  const ctx = useStack({
    // A repeated Idempotency-Key sends nothing again: the sweeper dispatches what never went out.
    sweeper: { intervalSeconds: 1, stallAfterSeconds: 1, maxRedrives: 3 },
    apiDeps: (deps) =>
      overrideDispatcher(deps, {
        async send(chunks) {
          if (refuse > 0) {
            refuse--;
            throw new Error('simulated SQS outage');
          }
          return deps.dispatcher.send(chunks);
        },
      }),
  });

  it('without an Idempotency-Key: 503, and the job is failed rather than stuck queued', async () => {
    refuse = 1;
    const response = await ctx.api.post('/v1/jobs', { type: 'import', items: products(10, 0, 'OUT') });
    expect(response.status).toBe(503);
    expect(response.json.error.code).toBe('unavailable');
    const [job] = (await ctx.api.get('/v1/jobs')).json.jobs;
    expect(response.json.error.message).toContain(job.id);
    expect(job).toMatchObject({ status: 'failed', processed: 0, error: expect.stringContaining('simulated SQS outage') });
  });

  it('with an Idempotency-Key: 503, the retry returns the same job, and the sweeper dispatches it to completion', async () => {
    refuse = 1;
    const body = { type: 'import', items: products(30, 0, 'RETRY') };
    const headers = { 'idempotency-key': 'retry-after-outage' };
    const first = await ctx.api.post('/v1/jobs', body, headers);
    expect(first.status).toBe(503);
    const retry = await ctx.api.post('/v1/jobs', body, headers);
    expect(retry.status).toBe(200);
    expect(first.json.error.message).toContain(retry.json.id);
    expect(await waitForJob(ctx.api, retry.json.id)).toMatchObject({ status: 'completed', processed: 30, failed: 0 });
  });
});
