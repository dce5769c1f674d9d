import { Chunker, type Chunk } from '../jobs/chunk';
import { ensureCallbackQueued, jobFinished, type FinishDeps } from '../notifications/notify-finished';
import type { Job } from '../jobs/job';
import { settleJob } from '../jobs/settle-job';
import { isFinished } from '../jobs/status';
import type { Dispatcher, FileStore, JobStore, ProductStore } from '../ports';
import { readSource, SourceError } from './sources';

export interface PlanDeps extends FinishDeps {
  jobs: JobStore;
  products: ProductStore;
  files: FileStore;
  dispatcher: Dispatcher;
  chunkSize: number;
}

/** Chunks sent per dispatch round; between rounds the planner checks for a cancel. */
const ROUND = 50;

export type PlanOutcome = 'planned' | 'skipped' | 'failed';

/**
 * Reads a job's source (an uploaded file, a product selection, the failures
 * of another job) as a stream, sends its chunks as it goes, and then records
 * the total. Holds at most one round of chunks in memory. Safe to run again
 * from the start after a crash: the chunks come out the same, and chunk
 * commits are idempotent.
 */
export async function planJob(deps: PlanDeps, jobId: string): Promise<PlanOutcome> {
  const job = await deps.jobs.get(jobId);
  if (job && isFinished(job.status)) await ensureCallbackQueued(deps, job);
  if (!job || !job.planning || isFinished(job.status)) return 'skipped';

  const chunker = new Chunker(
    { jobId: job.id, tenantId: job.tenantId, type: job.type, options: chunkOptions(job) },
    deps.chunkSize,
  );
  let round: Chunk[] = [];
  const send = async () => {
    if (round.length) await deps.dispatcher.send(round);
    round = [];
  };
  try {
    for await (const { item, line } of readSource(deps, job)) {
      const closed = chunker.add(item, line);
      if (!closed) continue;
      round.push(closed);
      if (round.length >= ROUND) {
        await send();
        const current = await deps.jobs.get(jobId);
        if (!current || isFinished(current.status)) return 'skipped'; // cancelled while planning
      }
    }
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    await failJob(deps, jobId, error.message);
    return 'failed';
  }
  const last = chunker.flush();
  if (last) round.push(last);
  await send();
  await deps.jobs.finishPlanning(jobId, chunker.itemCount, chunker.chunkCount);
  await deps.jobs.transition(jobId, ['queued'], 'running');
  // Chunks may all have been committed before the total was known.
  await settleJob(deps, jobId);
  return 'planned';
}

/** A job whose planning cannot succeed ends as failed, with the reason. */
export async function failJob(deps: Pick<PlanDeps, 'jobs' | keyof FinishDeps>, jobId: string, reason: string) {
  const failed = await deps.jobs.transition(jobId, ['queued', 'running'], 'failed', reason);
  if (failed) await jobFinished(deps, failed);
}

export const chunkOptions = (job: Job) => ({
  ...(job.dryRun ? { dryRun: true } : {}),
  ...(job.type === 'export' ? { format: job.format ?? 'csv' } : {}),
});
