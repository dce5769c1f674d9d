import { processChunk } from '@merchantops/core/jobs/process-chunk';
import type { Deps } from '@merchantops/core/deps';
import { chunkBatchHandler, receiveCount } from '../shared/sqs-batch';

/** Items queue consumer: do the work, commit each chunk once. */
export const createWorkerHandler = (deps: Deps) =>
  chunkBatchHandler((chunk, record) => processChunk(deps, chunk, receiveCount(record)));
