import type { Processor, ProcessorDeps } from '../processors/processor';
import type { Failure, JobStore } from '../ports';
import { isUnreadable, type Chunk } from './chunk';
import type { ChunkOutcome, JobEvents } from './events';
import type { Job } from './job';
import { settleJob, type SettleDeps } from './settle-job';
import { ensureCallbackQueued } from '../notifications/notify-finished';
import { isFinished } from './status';
import { errorText } from '../shared/errors';

export type { ChunkOutcome } from './events';

export interface ChunkDeps extends ProcessorDeps, SettleDeps {
  jobs: JobStore;
  processors: Record<Chunk['type'], Processor>;
  events: JobEvents;
}

/**
 * Runs one chunk and commits it exactly once. Any throw means "not committed,
 * deliver again"; the per-item work is idempotent, so running it twice is
 * harmless. `attempt` is the delivery count, recorded on failed items.
 */
export async function processChunk(deps: ChunkDeps, chunk: Chunk, attempt = 1): Promise<ChunkOutcome> {
  const job = await deps.jobs.get(chunk.jobId);
  // A cancelled or failed job takes no more work; a finished job has nothing left to count.
  if (!job || isFinished(job.status)) return skipped(deps, chunk, job, false);

  let result;
  try {
    result = await deps.processors[chunk.type](chunk, deps);
  } catch (error) {
    await deps.jobs.recordChunkError(chunk.jobId, chunk.n, errorText(error));
    throw error;
  }
  const failures = result.failures.map((failure) => ({ ...failure, attempts: attempt }));
  return commit(deps, chunk, job, failures, result.counts, false);
}

/**
 * A chunk that exhausted its deliveries: every item is counted failed with the
 * last error, through the same conditional commit, so the job still finishes.
 */
export async function failExhaustedChunk(
  deps: Omit<ChunkDeps, 'processors' | 'products' | 'now'>,
  chunk: Chunk,
  attempts?: number,
): Promise<ChunkOutcome> {
  const job = await deps.jobs.get(chunk.jobId);
  if (!job || isFinished(job.status)) return skipped(deps, chunk, job, true);
  const lastError = (await deps.jobs.lastChunkError(chunk.jobId, chunk.n)) ?? 'no error was recorded';
  const failures = chunk.items.map((item, offset) => ({
    index: chunk.start + offset,
    item,
    // An unreadable row keeps its own reason: retrying never was going to help it.
    reason: isUnreadable(item) ? item.$error : `exhausted retries: ${lastError}`,
    ...(attempts ? { attempts } : {}),
    ...(chunk.lines ? { line: chunk.lines[offset] } : {}),
  }));
  return commit(deps, chunk, job, failures, undefined, true);
}

async function commit(
  deps: Omit<ChunkDeps, 'processors' | 'products' | 'now'>,
  chunk: Chunk,
  job: Job,
  failures: Failure[],
  counts: Record<string, number> | undefined,
  exhausted: boolean,
): Promise<ChunkOutcome> {
  const started = performance.now();
  const outcome = await deps.jobs.commitChunk(
    chunk.jobId,
    chunk.n,
    { processed: chunk.items.length, failed: failures.length, result: counts },
    failures,
  );
  const counted = outcome === 'committed';
  deps.events.chunkFinished({
    job,
    chunk: chunk.n,
    outcome,
    processed: counted ? chunk.items.length : 0,
    failed: counted ? failures.length : 0,
    commitMs: performance.now() - started,
    exhausted,
  });
  // Also after a duplicate: the first delivery may have died between commit and this step.
  await settleJob(deps, chunk.jobId);
  return outcome;
}

async function skipped(
  deps: Omit<ChunkDeps, 'processors' | 'products' | 'now'>,
  chunk: Chunk,
  job: Job | undefined,
  exhausted: boolean,
): Promise<ChunkOutcome> {
  if (job) {
    deps.events.chunkFinished({ job, chunk: chunk.n, outcome: 'skipped', processed: 0, failed: 0, commitMs: 0, exhausted });
    // The delivery that finished the job may have died before queueing its callback.
    await ensureCallbackQueued(deps, job);
  }
  return 'skipped';
}
