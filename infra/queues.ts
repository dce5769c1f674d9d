/**
 * The queues and their Lambda consumers, derived from
 * packages/core/src/resources/queues.ts (also used by the local bridge):
 * the items queue (chunks) with its dead-letter queue, the plans queue (jobs
 * whose items come from a file, a product selection or a retry) and the
 * notifications queue (completion callback attempts).
 *
 * SST's Queue defaults (30 s visibility, 3 receives before the DLQ, no
 * concurrency cap on the event source mapping) do not fit this workload, so
 * every one of them is set explicitly here.
 *
 * The consumers are explicit Functions subscribed by ARN (rather than inline
 * subscriber arguments) so that the dashboard and alarms in infra/monitoring.ts
 * can name them. An inline subscriber gets the permissions its event source
 * mapping needs from SST; here each consumer gets them itself, on its own
 * queue only (`consume` below).
 */
import {
  type QueueDefinition,
  notificationsDeadLetterQueue as notificationsDeadLetterDef,
  plansDeadLetterQueue as plansDeadLetterDef,
  sweeper as sweeperDef,
  deadLetterQueue as deadLetterDef,
  itemsQueue as itemsDef,
  notificationsQueue as notificationsDef,
  notifierTimeoutSeconds,
  plannerTimeoutSeconds,
  plansQueue as plansDef,
  workerTimeoutSeconds,
} from '@merchantops/core/resources/queues';
import { DEFAULT_CHUNK_SIZE } from '@merchantops/core/config';
import { logging, runtime } from './function-defaults';
import { webhookSecretsKey } from './secrets';
import { files, jobs, products } from './storage';

/** Items per queue message (K); packages/core/src/config.ts validates it at cold start. */
const CHUNK_SIZE = String(DEFAULT_CHUNK_SIZE);

/**
 * Memory. The worker's and the DLQ handler's work is I/O-bound (DynamoDB calls
 * for up to batchSize x K items at once), so 512 MB is headroom enough for the
 * JSON and the SDK, at a quarter of the price of a full vCPU (1,769 MB). The
 * planner parses whole files (CSV, 100,000 rows and more) as a stream: CPU
 * bound, so it gets twice that. The notifier makes one HTTP call per message.
 */
const CHUNK_CONSUMER_MEMORY = '512 MB';
const PLANNER_MEMORY = '1024 MB';
const NOTIFIER_MEMORY = '256 MB';

/**
 * Every queue sets its attributes from the shared definition: visibility,
 * 14 days retention and a 1 MiB maximum message size (the provider's default
 * is 256 KiB, and chunks may be up to 1 MiB).
 */
function queue(def: QueueDefinition, dlq?: sst.aws.Queue): sst.aws.Queue {
  return new sst.aws.Queue(def.name, {
    visibilityTimeout: `${def.visibilityTimeoutSeconds} seconds`,
    ...(dlq ? { dlq: { queue: dlq.arn, retry: def.maxReceiveCount } } : {}),
    transform: {
      queue: { messageRetentionSeconds: def.messageRetentionSeconds, maxMessageSize: def.maximumMessageBytes },
    },
  });
}

export const deadLetterQueue = queue(deadLetterDef);
export const itemsQueue = queue(itemsDef, deadLetterQueue);

/** Plan tasks that never finished (planner timeout or crash on every delivery) end here; their job fails. */
export const plansDeadLetterQueue = queue(plansDeadLetterDef);
export const plansQueue = queue(plansDef, plansDeadLetterQueue);

/**
 * The notifier records every attempt and re-queues a failed one itself, with
 * a delay; a message it never returns from lands in the dead-letter queue,
 * whose handler gives the callback up.
 */
export const notificationsDeadLetterQueue = queue(notificationsDeadLetterDef);
export const notificationsQueue = queue(notificationsDef, notificationsDeadLetterQueue);

/**
 * What the functions read: packages/core/src/config.ts (tables, queues, bucket,
 * K) and packages/functions/src/shared/metrics.ts (STAGE, the metrics' Stage
 * dimension). Shared by every function: a name or URL grants nothing, the
 * links do.
 */
export const functionEnvironment = {
  JOBS_TABLE: jobs.name,
  PRODUCTS_TABLE: products.name,
  ITEMS_QUEUE_URL: itemsQueue.url,
  PLANS_QUEUE_URL: plansQueue.url,
  NOTIFICATIONS_QUEUE_URL: notificationsQueue.url,
  FILES_BUCKET: files.name,
  CHUNK_SIZE,
  STAGE: $app.stage,
};

/** What Lambda's event source mapping needs on the queue a function consumes (what SST grants inline subscribers). */
export function consume(queue: sst.aws.Queue): sst.aws.FunctionPermissionArgs {
  return {
    actions: [
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ],
    resources: [queue.arn],
  };
}

interface ConsumerArgs {
  handler: string;
  description: string;
  timeoutSeconds: number;
  memory: sst.aws.FunctionArgs['memory'];
  /** What the function reads and writes; the queue it consumes is granted by `consume`. */
  link: unknown[];
  /** Its event source mapping on `queue`; partial batch responses are always on. */
  batch: { size: number; window?: number };
  maxConcurrency?: number;
}

/**
 * A function subscribed to `queue`: the shared runtime, environment and logs,
 * consume rights on that queue only, partial batch responses.
 */
function consumer(name: string, queue: sst.aws.Queue, args: ConsumerArgs): sst.aws.Function {
  const fn = new sst.aws.Function(name, {
    handler: args.handler,
    description: args.description,
    runtime,
    timeout: `${args.timeoutSeconds} seconds`,
    memory: args.memory,
    link: args.link,
    permissions: [consume(queue)],
    environment: functionEnvironment,
    logging,
  });
  queue.subscribe(fn.arn, {
    batch: {
      size: args.batch.size,
      ...(args.batch.window === undefined ? {} : { window: `${args.batch.window} seconds` as const }),
      partialResponses: true,
    },
    ...(args.maxConcurrency === undefined
      ? {}
      : { transform: { eventSourceMapping: { scalingConfig: { maximumConcurrency: args.maxConcurrency } } } }),
  });
  return fn;
}

/**
 * Every function whose commit can finish a job may hand an export's file join
 * to the planner (plans queue) and queues the job's completion callback
 * (notifications queue), hence those two queues in their links.
 */

/** Runs each chunk and commits it: jobs and products, export parts in the files bucket. */
export const worker = consumer('Worker', itemsQueue, {
  handler: 'packages/functions/src/worker/lambda.handler',
  description: 'Items queue consumer: runs and commits chunks',
  timeoutSeconds: workerTimeoutSeconds,
  memory: CHUNK_CONSUMER_MEMORY,
  link: [jobs, products, files, plansQueue, notificationsQueue],
  batch: { size: itemsDef.batchSize, window: itemsDef.batchWindowSeconds },
  maxConcurrency: itemsDef.maxConcurrency,
});

/** Counts the items of an exhausted chunk as failed: job records only. */
export const deadLetterHandler = consumer('DeadLetterHandler', deadLetterQueue, {
  handler: 'packages/functions/src/dlq/lambda.handler',
  description: 'Dead-letter queue consumer: counts exhausted chunks as failed',
  timeoutSeconds: workerTimeoutSeconds,
  memory: CHUNK_CONSUMER_MEMORY,
  link: [jobs, plansQueue, notificationsQueue],
  batch: { size: deadLetterDef.batchSize },
});

/**
 * Reads a job's source (an uploaded file, the tenant's products, a job's
 * failures) and sends its chunks; joins an export's parts into its file.
 */
export const planner = consumer('Planner', plansQueue, {
  handler: 'packages/functions/src/planner/lambda.handler',
  description: 'Plans queue consumer: plans jobs from their source, joins export files',
  timeoutSeconds: plannerTimeoutSeconds,
  memory: PLANNER_MEMORY,
  link: [jobs, products, files, itemsQueue, plansQueue, notificationsQueue],
  batch: { size: plansDef.batchSize },
  maxConcurrency: plansDef.maxConcurrency,
});

/**
 * Delivers completion callbacks: notifications and tenant signing secrets live
 * in the jobs table (the secrets sealed with the linked key); a failed attempt
 * goes back on its own queue with a delay.
 */
export const notifier = consumer('Notifier', notificationsQueue, {
  handler: 'packages/functions/src/notifier/lambda.handler',
  description: 'Notifications queue consumer: delivers signed completion callbacks',
  timeoutSeconds: notifierTimeoutSeconds,
  memory: NOTIFIER_MEMORY,
  link: [jobs, notificationsQueue, webhookSecretsKey],
  batch: { size: notificationsDef.batchSize },
});

/** Ends a plan task that never finished: fails its job with that reason. */
export const plansDeadLetterHandler = consumer('PlansDeadLetterHandler', plansDeadLetterQueue, {
  handler: 'packages/functions/src/dlq/plans-lambda.handler',
  description: 'Plans dead-letter consumer: fails the jobs of plan tasks that never finished',
  timeoutSeconds: 30,
  memory: NOTIFIER_MEMORY,
  link: [jobs, notificationsQueue],
  batch: { size: plansDeadLetterDef.batchSize },
});

/** Ends a callback whose attempts never finished: gives it up with that reason. */
export const notificationsDeadLetterHandler = consumer('NotificationsDeadLetterHandler', notificationsDeadLetterQueue, {
  handler: 'packages/functions/src/dlq/notifications-lambda.handler',
  description: 'Notifications dead-letter consumer: gives up callbacks whose attempts never finished',
  timeoutSeconds: 30,
  memory: NOTIFIER_MEMORY,
  link: [jobs],
  batch: { size: notificationsDeadLetterDef.batchSize },
});

/**
 * The safety net: every few minutes, jobs without progress for a while are
 * marked stalled and re-driven through the planner (which sends again exactly
 * the chunks that never committed); jobs that stay stuck fail with a reason.
 */
export const sweeper = new sst.aws.Cron('Sweeper', {
  schedule: `rate(${sweeperDef.scheduleMinutes} minutes)`,
  function: {
    handler: 'packages/functions/src/sweeper/lambda.handler',
    description: 'Finds stalled jobs, re-drives them, fails the ones that stay stuck',
    runtime,
    timeout: `${sweeperDef.timeoutSeconds} seconds`,
    memory: NOTIFIER_MEMORY,
    link: [jobs, plansQueue, notificationsQueue],
    environment: {
      ...functionEnvironment,
      STALL_AFTER_SECONDS: String(sweeperDef.stallAfterSeconds),
      MAX_REDRIVES: String(sweeperDef.maxRedrives),
    },
    logging,
  },
});
