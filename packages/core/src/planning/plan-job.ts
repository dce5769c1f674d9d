import type { Deps } from '../deps';
import { Chunker, type Chunk } from '../jobs/chunk';
import type { FinishDeps } from '../notifications/notify-finished';
import { failJob, finishSeenAgain, markRunning } from '../jobs/lifecycle';
import type { Job } from '../jobs/job';
import { settleJob } from '../jobs/settle-job';
import { isFinished } from '../jobs/status';
import { readSource, SourceError } from './sources';

export type PlanDeps = Pick<Deps, 'jobs' | 'products' | 'files' | 'dispatcher' | 'chunkSize' | 'maxUploadBytes' | keyof FinishDeps>;

/** Chunks sent per dispatch round; between rounds the planner checks for a cancel. */
const ROUND = 50;

export type PlanOutcome = 'planned' | 'redriven' | 'skipped' | 'failed';

/**
 * Reads a job's source (an uploaded file, a product selection, the failures
 * of another job) as a stream, sends its chunks as it goes, and then records
 * the total. Holds at most one round of chunks in memory. Safe to run again
 * from the start after a crash: the chunks come out the same, and chunk
 * commits are idempotent.
 */
export async function planJob(deps: PlanDeps, jobId: string): Promise<PlanOutcome> {
  const job = await deps.jobs.get(jobId);
  if (job && isFinished(job.status)) await finishSeenAgain(deps, job);
  if (!job || !job.planning || isFinished(job.status)) return 'skipped';

  const sent = await sendChunks(deps, job, () => true);
  if (sent === 'failed' || sent === 'skipped') return sent;
  await deps.jobs.finishPlanning(jobId, sent.items, sent.chunks);
  await markRunning(deps, jobId);
  // Chunks may all have been committed before the total was known.
  await settleJob(deps, jobId);
  return 'planned';
}

/**
 * Sends again exactly the chunks of a job that never committed (their
 * messages were lost, expired or dead-lettered without a commit), cut from
 * the job's durable input the same way as the first time. A job still being
 * planned is planned again; a job whose items have all finished is settled.
 */
export async function redriveJob(deps: PlanDeps, jobId: string): Promise<PlanOutcome> {
  const job = await deps.jobs.get(jobId);
  if (!job || isFinished(job.status)) return 'skipped';
  if (job.planning) return planJob(deps, jobId);
  if (job.processed >= job.total) {
    await settleJob(deps, jobId);
    return 'skipped';
  }
  const committed = await deps.jobs.committedChunks(jobId);
  // Never past the chunks the job counted, even if its input somehow grew: they would overshoot `remaining`.
  const sent = await sendChunks(deps, job, (chunk) => chunk.n < job.chunkCount && !committed.has(chunk.n));
  if (sent === 'failed' || sent === 'skipped') return sent;
  await markRunning(deps, jobId);
  return 'redriven';
}

/** Cuts the job's source into its chunks and sends those `wanted` says, a round at a time. */
async function sendChunks(
  deps: PlanDeps,
  job: Job,
  wanted: (chunk: Chunk) => boolean,
): Promise<{ items: number; chunks: number } | 'failed' | 'skipped'> {
  const chunker = new Chunker(
    { jobId: job.id, tenantId: job.tenantId, type: job.type, options: chunkOptions(job) },
    job.chunkSize ?? deps.chunkSize,
  );
  let round: Chunk[] = [];
  const send = async () => {
    const chosen = round.filter(wanted);
    if (chosen.length) await deps.dispatcher.send(chosen);
    round = [];
  };
  try {
    for await (const { item, line } of readSource(deps, job)) {
      const closed = chunker.add(item, line);
      if (!closed) continue;
      round.push(closed);
      if (round.length >= ROUND) {
        await send();
        const current = await deps.jobs.get(job.id);
        if (!current || isFinished(current.status)) return 'skipped'; // cancelled meanwhile
      }
    }
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    await failJob(deps, job.id, error.message);
    return 'failed';
  }
  const last = chunker.flush();
  if (last) round.push(last);
  await send();
  return { items: chunker.itemCount, chunks: chunker.chunkCount };
}

export const chunkOptions = (job: Job) => ({
  ...(job.dryRun ? { dryRun: true } : {}),
  ...(job.type === 'export' ? { format: job.format ?? 'csv' } : {}),
});
