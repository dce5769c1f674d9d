import type { Deps } from '../deps';
import type { Chunk } from '../jobs/chunk';
import type { Failure } from '../ports';

export type ProcessorDeps = Pick<Deps, 'products' | 'files' | 'now'>;

export interface ProcessorResult {
  /** Items that failed permanently, with their reason. */
  failures: Failure[];
  /** Counts to add to the job's result (e.g. created / updated / unchanged). */
  counts?: Record<string, number>;
}

/**
 * Does the work of one chunk. Returns the items that failed permanently;
 * throws for a transient error (the whole chunk is then retried). Must be
 * idempotent: a chunk may run more than once.
 */
export type Processor = (chunk: Chunk, deps: ProcessorDeps) => Promise<ProcessorResult>;

export const failureAt = (chunk: Chunk, offset: number, reason: string): Failure => ({
  index: chunk.start + offset,
  item: chunk.items[offset],
  reason,
  ...(chunk.lines ? { line: chunk.lines[offset] } : {}),
});
