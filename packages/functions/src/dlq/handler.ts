import { failExhaustedChunk } from '@merchantops/core/jobs/process-chunk';
import type { Deps } from '@merchantops/core/deps';
import { deadLetterQueue, itemsQueue } from '@merchantops/core/resources/queues';
import { chunkBatchHandler } from '../shared/sqs-batch';

/** Dead-letter queue consumer: a chunk that ran out of retries is counted failed. */
export const createDeadLetterHandler = (deps: Deps) =>
  chunkBatchHandler((chunk) => failExhaustedChunk(deps, chunk, itemsQueue.maxReceiveCount), {
    giveUpAfter: deadLetterQueue.maxReceiveCount,
  });
