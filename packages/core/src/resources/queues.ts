/**
 * Queue and worker settings: the one source of truth for the SST infra
 * (infra/queues.ts) and the local bootstrap and event-source bridge
 * (packages/local).
 *
 * Why these numbers:
 * - visibility timeout >= 6x the consumer's timeout (AWS guidance for SQS
 *   event sources), so a message is never redelivered while a consumer holds it;
 * - maxReceiveCount 5: transient errors get several tries before the
 *   dead-letter handler ends the work (AWS recommends >= 5);
 * - 14 days retention (SQS's maximum) everywhere, and the sweeper re-drives
 *   whatever expires or is lost anyway;
 * - MaximumMessageSize 1 MiB set explicitly (the provider's default is 256 KiB),
 *   and chunks never exceed it (chunk.ts);
 * - every work queue has a dead-letter queue whose handler ends the job (or
 *   the callback) with a reason. A dead-letter handler that keeps failing on
 *   a message drops it after maxReceiveCount deliveries (logged, counted,
 *   alarmed) instead of chaining another queue: SQS keeps a message's receive
 *   count when it moves it, so a second redrive would fire at once. The
 *   sweeper re-drives whatever was dropped.
 */
import { sqsLimits } from '../limits/aws-limits';

export const workerTimeoutSeconds = 60;

const RETENTION = 14 * 24 * 3600;

/** Attributes every queue sets, locally and in AWS. */
export const queueDefaults = {
  messageRetentionSeconds: RETENTION,
  maximumMessageBytes: sqsLimits.messageBytes,
  maxReceiveCount: 5,
} as const;

/** What every queue definition has. */
export interface QueueDefinition {
  readonly name: string;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly maximumMessageBytes: number;
  readonly maxReceiveCount: number;
}

export const itemsQueue = {
  ...queueDefaults,
  name: 'Items',
  visibilityTimeoutSeconds: workerTimeoutSeconds * 6,
  /** Chunks per worker invocation; each chunk is up to CHUNK_SIZE items. */
  batchSize: 10,
  batchWindowSeconds: 0,
  maxConcurrency: 20,
} as const;

export const deadLetterQueue = {
  ...queueDefaults,
  name: 'ItemsDeadLetter',
  visibilityTimeoutSeconds: workerTimeoutSeconds * 6,
  batchSize: 10,
} as const;

/**
 * Plan requests: one message per job whose items come from a file, a product
 * selection or a retry, and re-drive requests from the sweeper. The planner
 * streams the source and sends the chunks; a big file takes minutes, hence
 * the long timeout.
 */
export const plannerTimeoutSeconds = 900;

export const plansQueue = {
  ...queueDefaults,
  name: 'Plans',
  visibilityTimeoutSeconds: plannerTimeoutSeconds * 6,
  batchSize: 1,
  /** Planners running at once: each streams a whole file and floods the items queue. */
  maxConcurrency: 5,
} as const;

export const plansDeadLetterQueue = {
  ...queueDefaults,
  name: 'PlansDeadLetter',
  visibilityTimeoutSeconds: 30 * 6,
  batchSize: 10,
} as const;

/**
 * Completion callbacks: one message per delivery attempt; a failed attempt is
 * sent again with a delay (exponential backoff), so retries cost nothing while
 * they wait.
 */
export const notifierTimeoutSeconds = 30;

export const notificationsQueue = {
  ...queueDefaults,
  name: 'Notifications',
  visibilityTimeoutSeconds: notifierTimeoutSeconds * 6,
  batchSize: 10,
} as const;

export const notificationsDeadLetterQueue = {
  ...queueDefaults,
  name: 'NotificationsDeadLetter',
  visibilityTimeoutSeconds: 30 * 6,
  batchSize: 10,
} as const;

/** The dead-letter queue of each work queue. */
export const redrives = [
  { from: itemsQueue, to: deadLetterQueue },
  { from: plansQueue, to: plansDeadLetterQueue },
  { from: notificationsQueue, to: notificationsDeadLetterQueue },
] as const;

/**
 * The sweeper (a scheduled function; locally a timer): how often it runs,
 * how long without progress makes a job stalled, and how many re-drives
 * without progress it gets before it fails. Stalled comes after the items
 * queue's whole retry cycle (visibility x receives = 30 minutes), so a
 * re-drive never races SQS's own retries for long.
 */
export const sweeper = {
  scheduleMinutes: 5,
  stallAfterSeconds: 45 * 60,
  maxRedrives: 3,
  timeoutSeconds: 300,
} as const;
