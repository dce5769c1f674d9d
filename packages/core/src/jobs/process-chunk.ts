import type { Processor, ProcessorDeps } from '../processors/processor';
import type { Failure, JobStore } from '../ports';
import type { Chunk } from './chunk';
import type { ChunkOutcome, JobEvents } from './events';
import { isFinished } from './status';

export type { ChunkOutcome } from './events';

export interface ChunkDeps extends ProcessorDeps {
  jobs: JobStore;
  processors: Record<Chunk['type'], Processor>;
  events: JobEvents;
}

/**
 * Runs one chunk and commits it exactly once. Any throw means "not committed,
 * deliver again"; the per-item work is idempotent, so running it twice is harmless.
 */
export async function processChunk(deps: ChunkDeps, chunk: Chunk): Promise<ChunkOutcome> {
  const job = await deps.jobs.get(chunk.jobId);
  // A cancelled or failed job takes no more work; a finished job has nothing left to count.
  if (!job || isFinished(job.status)) return skipped(deps, chunk, job, false);

  let failures;
  try {
    failures = await deps.processors[chunk.type](chunk, deps);
  } catch (error) {
    await deps.jobs.recordChunkError(chunk.jobId, chunk.n, errorText(error));
    throw error;
  }
  return commit(deps, chunk, job, failures, false);
}

/**
 * A chunk that exhausted its deliveries: every item is counted failed with the
 * last error, through the same conditional commit, so the job still finishes.
 */
export async function failExhaustedChunk(deps: Pick<ChunkDeps, 'jobs' | 'events'>, chunk: Chunk): Promise<ChunkOutcome> {
  const job = await deps.jobs.get(chunk.jobId);
  if (!job || isFinished(job.status)) return skipped(deps, chunk, job, true);
  const lastError = (await deps.jobs.lastChunkError(chunk.jobId, chunk.n)) ?? 'no error was recorded';
  const failures = chunk.items.map((item, offset) => ({
    index: chunk.start + offset,
    item,
    reason: `exhausted retries: ${lastError}`,
  }));
  return commit(deps, chunk, job, failures, true);
}

async function commit(
  deps: Pick<ChunkDeps, 'jobs' | 'events'>,
  chunk: Chunk,
  job: NonNullable<Awaited<ReturnType<JobStore['get']>>>,
  failures: Failure[],
  exhausted: boolean,
): Promise<ChunkOutcome> {
  const started = performance.now();
  const outcome = await deps.jobs.commitChunk(
    chunk.jobId,
    chunk.n,
    { processed: chunk.items.length, failed: failures.length },
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
  // Also after a duplicate: the first delivery may have died between commit and this check.
  const completed = await deps.jobs.completeIfDone(chunk.jobId);
  if (completed) deps.events.jobFinished(completed);
  return outcome;
}

function skipped(
  deps: Pick<ChunkDeps, 'events'>,
  chunk: Chunk,
  job: Awaited<ReturnType<JobStore['get']>>,
  exhausted: boolean,
): ChunkOutcome {
  if (job) {
    deps.events.chunkFinished({ job, chunk: chunk.n, outcome: 'skipped', processed: 0, failed: 0, commitMs: 0, exhausted });
  }
  return 'skipped';
}

export const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
