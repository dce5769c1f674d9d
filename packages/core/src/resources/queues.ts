/**
 * Queue and worker settings: the one source of truth for the SST infra
 * (infra/queues.ts) and the local event-source bridge (packages/local).
 *
 * Why these numbers:
 * - visibility timeout >= 6x the worker timeout (AWS guidance for SQS event
 *   sources), so a message is never redelivered while a worker still holds it;
 * - maxReceiveCount 5: transient errors get several tries before the dead-letter
 *   handler counts the chunk as failed (AWS recommends >= 5);
 * - 14 days retention on the DLQ so nothing expires before an operator looks.
 */
export const workerTimeoutSeconds = 60;

export const itemsQueue = {
  name: 'Items',
  visibilityTimeoutSeconds: workerTimeoutSeconds * 6,
  messageRetentionSeconds: 4 * 24 * 3600,
  maxReceiveCount: 5,
  /** Chunks per worker invocation; each chunk is up to CHUNK_SIZE items. */
  batchSize: 10,
  batchWindowSeconds: 0,
  maxConcurrency: 20,
} as const;

export const deadLetterQueue = {
  name: 'ItemsDeadLetter',
  messageRetentionSeconds: 14 * 24 * 3600,
  visibilityTimeoutSeconds: workerTimeoutSeconds * 6,
  batchSize: 10,
} as const;

/**
 * Plan requests: one message per job whose items come from a file, a product
 * selection or a retry. The planner streams the source and sends the chunks;
 * a big file takes minutes, hence the long timeout.
 */
export const plannerTimeoutSeconds = 900;

export const plansQueue = {
  name: 'Plans',
  visibilityTimeoutSeconds: plannerTimeoutSeconds * 6,
  messageRetentionSeconds: 4 * 24 * 3600,
  /** On the last delivery the planner fails the job itself, so this queue needs no DLQ. */
  maxReceiveCount: 5,
  batchSize: 1,
  /** Planners running at once: each streams a whole file and floods the items queue. */
  maxConcurrency: 5,
} as const;


/**
 * Completion callbacks: one message per delivery attempt; a failed attempt is
 * sent again with a delay (exponential backoff), so retries cost nothing while
 * they wait.
 */
export const notifierTimeoutSeconds = 30;

export const notificationsQueue = {
  name: 'Notifications',
  visibilityTimeoutSeconds: notifierTimeoutSeconds * 6,
  messageRetentionSeconds: 4 * 24 * 3600,
  batchSize: 10,
} as const;
