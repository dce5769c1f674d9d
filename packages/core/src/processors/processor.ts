import type { Chunk } from '../jobs/chunk';
import type { Failure, ProductStore } from '../ports';

export interface ProcessorDeps {
  products: ProductStore;
  now: () => Date;
}

/**
 * Does the work of one chunk. Returns the items that failed permanently;
 * throws for a transient error (the whole chunk is then retried). Must be
 * idempotent: a chunk may run more than once.
 */
export type Processor = (chunk: Chunk, deps: ProcessorDeps) => Promise<Failure[]>;

export const failureAt = (chunk: Chunk, offset: number, reason: string): Failure => ({
  index: chunk.start + offset,
  item: chunk.items[offset],
  reason,
});
