import type { Processor, ProcessorDeps } from '../processors/processor';
import type { JobStore } from '../ports';
import type { Chunk } from './chunk';
import { isFinished } from './status';

export interface ChunkDeps extends ProcessorDeps {
  jobs: JobStore;
  processors: Record<Chunk['type'], Processor>;
}

export type ChunkOutcome = 'committed' | 'duplicate' | 'skipped';

/**
 * Runs one chunk and commits it exactly once. Any throw means "not committed,
 * deliver again"; the per-item work is idempotent, so running it twice is harmless.
 */
export async function processChunk(deps: ChunkDeps, chunk: Chunk): Promise<ChunkOutcome> {
  const job = await deps.jobs.get(chunk.jobId);
  // A cancelled or failed job takes no more work; a finished job has nothing left to count.
  if (!job || isFinished(job.status)) return 'skipped';

  let failures;
  try {
    failures = await deps.processors[chunk.type](chunk, deps);
  } catch (error) {
    await deps.jobs.recordChunkError(chunk.jobId, chunk.n, errorText(error));
    throw error;
  }
  const outcome = await deps.jobs.commitChunk(
    chunk.jobId,
    chunk.n,
    { processed: chunk.items.length, failed: failures.length },
    failures,
  );
  // Also after a duplicate: the first delivery may have died between commit and this check.
  await deps.jobs.completeIfDone(chunk.jobId);
  return outcome;
}

/**
 * A chunk that exhausted its deliveries: every item is counted failed with the
 * last error, through the same conditional commit, so the job still finishes.
 */
export async function failExhaustedChunk(deps: { jobs: JobStore }, chunk: Chunk): Promise<ChunkOutcome> {
  const job = await deps.jobs.get(chunk.jobId);
  if (!job || isFinished(job.status)) return 'skipped';
  const lastError = (await deps.jobs.lastChunkError(chunk.jobId, chunk.n)) ?? 'no error was recorded';
  const failures = chunk.items.map((item, offset) => ({
    index: chunk.start + offset,
    item,
    reason: `exhausted retries: ${lastError}`,
  }));
  const outcome = await deps.jobs.commitChunk(
    chunk.jobId,
    chunk.n,
    { processed: chunk.items.length, failed: chunk.items.length },
    failures,
  );
  await deps.jobs.completeIfDone(chunk.jobId);
  return outcome;
}

export const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
