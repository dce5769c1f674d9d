/**
 * The items queue, its dead-letter queue and their Lambda consumers, derived
 * from packages/core/src/resources/queues.ts (also used by the local bridge).
 *
 * SST's Queue defaults (30 s visibility, 3 receives before the DLQ, no
 * concurrency cap on the event source mapping) do not fit this workload, so
 * every one of them is set explicitly here.
 */
import {
  deadLetterQueue as deadLetterDef,
  itemsQueue as itemsDef,
  workerTimeoutSeconds,
} from '../packages/core/src/resources/queues';
import { jobs, products } from './storage';

/** Items per queue message (K); packages/core/src/config.ts validates it at cold start. */
const CHUNK_SIZE = '25';

export const deadLetterQueue = new sst.aws.Queue(deadLetterDef.name, {
  visibilityTimeout: `${deadLetterDef.visibilityTimeoutSeconds} seconds`,
  transform: { queue: { messageRetentionSeconds: deadLetterDef.messageRetentionSeconds } },
});

export const itemsQueue = new sst.aws.Queue(itemsDef.name, {
  visibilityTimeout: `${itemsDef.visibilityTimeoutSeconds} seconds`,
  dlq: { queue: deadLetterQueue.arn, retry: itemsDef.maxReceiveCount },
  transform: { queue: { messageRetentionSeconds: itemsDef.messageRetentionSeconds } },
});

/** What packages/core/src/config.ts reads; shared by every function of the app. */
export const functionEnvironment = {
  JOBS_TABLE: jobs.name,
  PRODUCTS_TABLE: products.name,
  ITEMS_QUEUE_URL: itemsQueue.url,
  CHUNK_SIZE,
};

itemsQueue.subscribe(
  {
    handler: 'packages/functions/src/worker/lambda.handler',
    runtime: 'nodejs22.x',
    timeout: `${workerTimeoutSeconds} seconds`,
    memory: '512 MB',
    link: [jobs, products, itemsQueue],
    environment: functionEnvironment,
  },
  {
    batch: {
      size: itemsDef.batchSize,
      window: `${itemsDef.batchWindowSeconds} seconds`,
      partialResponses: true,
    },
    transform: {
      eventSourceMapping: { scalingConfig: { maximumConcurrency: itemsDef.maxConcurrency } },
    },
  },
);

// Counts the items of an exhausted chunk as failed. It gets the whole
// environment because readConfig() requires every variable, but only the
// jobs table is linked (it only writes job records).
deadLetterQueue.subscribe(
  {
    handler: 'packages/functions/src/dlq/lambda.handler',
    runtime: 'nodejs22.x',
    timeout: `${workerTimeoutSeconds} seconds`,
    memory: '512 MB',
    link: [jobs],
    environment: functionEnvironment,
  },
  {
    batch: { size: deadLetterDef.batchSize, partialResponses: true },
  },
);
