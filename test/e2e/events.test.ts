import { describe, expect, it } from 'vitest';
import type { JobEvents } from '@merchantops/core/jobs/events';
import { overrideDispatcher } from '../support/faults';
import { products, useStack, waitFor, waitForJob } from '../support/stack';

/** Records what the pipeline reports; metrics and callbacks hang off these events. */
function recorder() {
  const seen = { created: [] as string[], finished: [] as string[], chunks: [] as { chunk: number; outcome: string; processed: number }[] };
  const events: JobEvents = {
    jobCreated: (job) => seen.created.push(job.id),
    chunkFinished: (e) => seen.chunks.push({ chunk: e.chunk, outcome: e.outcome, processed: e.processed }),
    jobFinished: (job) => seen.finished.push(`${job.id}:${job.status}`),
  };
  return { seen, events };
}

describe('job events', () => {
  const { seen, events } = recorder();
  const ctx = useStack({
    chunkSize: 10,
    workerConcurrency: 3,
    apiDeps: (deps) => ({
      ...overrideDispatcher(deps, {
        // every chunk on the queue twice
        send: async (chunks) => (await deps.dispatcher.send(chunks), deps.dispatcher.send(chunks)),
      }),
      events,
    }),
    workerDeps: (deps) => ({ ...deps, events }),
  });

  it('reports creation once, every chunk commit once, and the finish exactly once', async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(100, 10, 'EV') });
    const job = await waitForJob(ctx.api, created.json.id);
    expect(job).toMatchObject({ status: 'completed', processed: 100, failed: 10 });
    expect(seen.created).toEqual([job.id]);
    await waitFor(async () => (seen.chunks.length >= 20 ? true : undefined), 'every delivery reported');
    const committed = seen.chunks.filter((c) => c.outcome === 'committed');
    expect(committed.map((c) => c.chunk).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(committed.reduce((sum, c) => sum + c.processed, 0)).toBe(100);
    expect(seen.chunks.filter((c) => c.outcome !== 'committed').every((c) => c.processed === 0)).toBe(true);
    expect(seen.finished).toEqual([`${job.id}:completed`]);
  });

  it('reports an empty job as created and finished at once', async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'export', items: [] });
    expect(seen.finished).toContain(`${created.json.id}:completed`);
  });
});
