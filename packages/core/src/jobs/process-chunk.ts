import type { Deps } from '../deps';
import type { ProcessorDeps, ProcessorResult } from '../processors/processor';
import type { ChunkCommit, CommitOutcome, Failure } from '../ports';
import { isUnreadable, type Chunk } from './chunk';
import type { ChunkOutcome } from './events';
import type { Job } from './job';
import { needsFinalize, settleJob, type SettleDeps } from './settle-job';
import { finishSeenAgain, jobFinished } from './lifecycle';
import { isFinished } from './status';
import { errorText } from '../shared/errors';

export type ChunkDeps = Pick<Deps, 'jobs' | 'processors' | keyof ProcessorDeps | keyof SettleDeps>;

/**
 * Runs one chunk and commits it exactly once. Any throw means "not committed,
 * deliver again"; the per-item work is idempotent, so running it twice is
 * harmless. `attempt` is the delivery count, recorded on failed items.
 */
export async function processChunk(deps: ChunkDeps, chunk: Chunk, attempt = 1): Promise<ChunkOutcome> {
  // The one read per chunk: a cancelled or finished job takes no more work.
  const job = await deps.jobs.get(chunk.jobId);
  if (!job || isFinished(job.status)) return skipped(deps, chunk, job, false);

  let result: ProcessorResult;
  try {
    result = await deps.processors[chunk.type](chunk, deps);
  } catch (error) {
    await deps.jobs.recordChunkError(chunk.jobId, chunk.n, errorText(error));
    throw error;
  }
  const failures = result.failures.map((failure) => ({ ...failure, attempts: attempt }));
  return commit(deps, chunk, job, { chunk: chunk.n, processed: chunk.items.length, failures, result: result.counts }, false);
}

/**
 * A chunk that exhausted its deliveries. It runs once more, item by item where
 * the work allows it, so one item that keeps breaking the chunk fails alone
 * (with its own error) and the others count as what they are; the items that
 * still fail are counted failed with the last error. Then the same commit.
 */
export async function failExhaustedChunk(deps: ChunkDeps, chunk: Chunk, attempts?: number): Promise<ChunkOutcome> {
  const job = await deps.jobs.get(chunk.jobId);
  if (!job || isFinished(job.status)) return skipped(deps, chunk, job, true);
  const lastError = (await deps.jobs.lastChunkError(chunk.jobId, chunk.n)) ?? 'no error was recorded';
  const result = await lastAttempt(deps, chunk, lastError);
  const failures = result.failures.map((failure) => ({ ...failure, ...(attempts ? { attempts } : {}) }));
  return commit(deps, chunk, job, { chunk: chunk.n, processed: chunk.items.length, failures, result: result.counts }, true);
}

/** Items of these types can be worked one at a time; an export writes one file part per chunk. */
const ITEM_BY_ITEM = new Set<Chunk['type']>(['import', 'enrichment']);

async function lastAttempt(deps: ChunkDeps, chunk: Chunk, lastError: string): Promise<ProcessorResult> {
  const exhausted = (offset: number, error: string): Failure => ({
    index: chunk.start + offset,
    item: chunk.items[offset],
    // An unreadable row keeps its own reason: retrying never was going to help it.
    reason: isUnreadable(chunk.items[offset]) ? (chunk.items[offset] as { $error: string }).$error : `exhausted retries: ${error}`,
    ...(chunk.lines ? { line: chunk.lines[offset] } : {}),
  });
  const run = deps.processors[chunk.type];
  if (!ITEM_BY_ITEM.has(chunk.type)) {
    try {
      return await run(chunk, deps);
    } catch (error) {
      return { failures: chunk.items.map((_, offset) => exhausted(offset, errorText(error) || lastError)) };
    }
  }
  const failures: Failure[] = [];
  const counts: Record<string, number> = {};
  for (const offset of chunk.items.keys()) {
    const single: Chunk = {
      ...chunk,
      start: chunk.start + offset,
      items: [chunk.items[offset]],
      ...(chunk.lines ? { lines: [chunk.lines[offset]] } : {}),
    };
    try {
      const result = await run(single, deps);
      failures.push(...result.failures);
      for (const [key, count] of Object.entries(result.counts ?? {})) counts[key] = (counts[key] ?? 0) + count;
    } catch (error) {
      failures.push(exhausted(offset, errorText(error)));
    }
  }
  return { failures, counts };
}

async function commit(deps: ChunkDeps, chunk: Chunk, job: Job, work: ChunkCommit, exhausted: boolean): Promise<ChunkOutcome> {
  const started = performance.now();
  let outcome: CommitOutcome;
  try {
    outcome = await deps.jobs.commitChunk(chunk.jobId, work, { completeWhenDone: !needsFinalize(job) });
  } catch (error) {
    // Recorded as what it was, for the dead-letter handler's reason.
    await deps.jobs.recordChunkError(chunk.jobId, chunk.n, `the commit failed: ${errorText(error)}`);
    throw error;
  }
  const counted = outcome.status === 'committed';
  deps.events.chunkFinished({
    job,
    chunk: chunk.n,
    outcome: outcome.status === 'inactive' ? 'skipped' : outcome.status,
    processed: counted ? work.processed : 0,
    failed: counted ? work.failures.length : 0,
    commitMs: performance.now() - started,
    exhausted,
  });
  if (outcome.status === 'committed' && outcome.completed) await jobFinished(deps, outcome.completed);
  // The finishing commit of an export hands over to the finalize task; a job
  // with a failure threshold is judged after each commit; and after a
  // duplicate, the first delivery may have died before its own settle.
  else if (outcome.status === 'duplicate' || (outcome.status === 'committed' && (outcome.done || job.maxFailurePercent !== undefined))) {
    await settleJob(deps, chunk.jobId);
  } else if (outcome.status === 'inactive') {
    const current = await deps.jobs.get(chunk.jobId);
    if (current) await finishSeenAgain(deps, current);
    return 'skipped';
  }
  return outcome.status;
}

async function skipped(deps: ChunkDeps, chunk: Chunk, job: Job | undefined, exhausted: boolean): Promise<ChunkOutcome> {
  if (job) {
    deps.events.chunkFinished({ job, chunk: chunk.n, outcome: 'skipped', processed: 0, failed: 0, commitMs: 0, exhausted });
    // The delivery that finished the job may have died before queueing its callback.
    await finishSeenAgain(deps, job);
  }
  return 'skipped';
}
