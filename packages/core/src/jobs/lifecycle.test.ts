import { describe, expect, it } from 'vitest';
import { memoryDeps } from '../adapters/memory/memory-deps';
import type { Job } from './job';
import { cancelJob, completeJob, failJob, markRunning, MOVES } from './lifecycle';

const job = (overrides: Partial<Job> = {}): Job => ({
  id: `job-${Math.random()}`,
  tenantId: 'acme',
  type: 'import',
  status: 'queued',
  total: 1,
  processed: 0,
  failed: 0,
  chunkCount: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  source: { kind: 'items' },
  ...overrides,
});

function withFinishes() {
  const finished: Job[] = [];
  const deps = memoryDeps();
  deps.events = { ...deps.events, jobFinished: (j) => finished.push(j) };
  return { deps, finished };
}

describe('lifecycle', () => {
  it('moves only from the states MOVES allows', async () => {
    const { deps } = withFinishes();
    const queued = (await deps.jobs.create(job())).job;
    expect(await markRunning(deps, queued.id)).toMatchObject({ status: 'running' });
    expect(await markRunning(deps, queued.id)).toBeUndefined();
    expect(MOVES.run.from).toEqual(['queued']);
    for (const move of [MOVES.complete, MOVES.cancel, MOVES.fail]) expect(move.from).toEqual(['queued', 'running']);
  });

  it('reports a finish once, to the caller that made it, whoever races', async () => {
    const { deps, finished } = withFinishes();
    const { job: created } = await deps.jobs.create(job());
    const results = await Promise.all([cancelJob(deps, created.id), cancelJob(deps, created.id), failJob(deps, created.id, 'boom')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(finished).toHaveLength(1);
    expect(finished[0].status).toBe((await deps.jobs.get(created.id))!.status);
    expect(await failJob(deps, created.id, 'again')).toBeUndefined();
    expect(finished).toHaveLength(1);
  });

  it('completes a job only when every item has finished', async () => {
    const { deps, finished } = withFinishes();
    const { job: created } = await deps.jobs.create(job({ status: 'running' }));
    expect(await completeJob(deps, created.id)).toBeUndefined();
    await deps.jobs.commitChunk(created.id, { chunk: 0, processed: 1, failures: [] }, { completeWhenDone: false });
    expect(await completeJob(deps, created.id, { rows: 1 })).toMatchObject({ status: 'completed', result: { rows: 1 } });
    expect(finished.map((j) => j.id)).toEqual([created.id]);
  });

  it("queues the finished job's callback once", async () => {
    const { deps } = withFinishes();
    const { job: created } = await deps.jobs.create(job({ callbackUrl: 'https://example.com/hook' }));
    await failJob(deps, created.id, 'no');
    await failJob(deps, created.id, 'no');
    expect(deps.dispatcher.notifications).toEqual([{ jobId: created.id, delaySeconds: 0 }]);
    expect(await deps.notifications.get(created.id)).toMatchObject({ event: 'job.failed', state: 'pending', queued: true });
  });
});
