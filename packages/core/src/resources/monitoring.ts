/**
 * Monitoring definitions: the one source of truth for the metrics the
 * functions write (packages/functions/src/shared/metrics.ts, in CloudWatch's
 * embedded metric format) and for the dashboard and alarms that read them
 * (infra/monitoring.ts), so the two cannot drift.
 */
import { itemsQueue } from './queues';

/** `service` of every log line and metric record. */
export const SERVICE_NAME = 'merchantops-jobs';

/** CloudWatch namespace of the application's own metrics. */
export const METRICS_NAMESPACE = 'MerchantOps/Jobs';

/**
 * Dimensions. Every metric is recorded per stage (stages may share an AWS
 * account) and, where a job is known, also per stage and job type. Nothing
 * with many values (tenant, job id) is ever a dimension: those go in the
 * record as plain properties, where Logs Insights can still query them.
 */
export const STAGE_DIMENSION = 'Stage';
export const JOB_TYPE_DIMENSION = 'JobType';

export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds';
export interface MetricDefinition {
  name: string;
  unit: MetricUnit;
}

export const metrics = {
  /** One per job created (not per idempotent repeat). */
  jobsCreated: { name: 'JobsCreated', unit: 'Count' },
  /** One per job that finished in that status (decided once per job). */
  jobsCompleted: { name: 'JobsCompleted', unit: 'Count' },
  jobsFailed: { name: 'JobsFailed', unit: 'Count' },
  jobsCancelled: { name: 'JobsCancelled', unit: 'Count' },
  /** Items counted by a chunk commit: finished, successfully or not. */
  itemsProcessed: { name: 'ItemsProcessed', unit: 'Count' },
  /** Of those, the items that failed. */
  itemsFailed: { name: 'ItemsFailed', unit: 'Count' },
  /** A redelivered chunk that had already been committed: acknowledged, not counted again. */
  duplicateDeliveriesSkipped: { name: 'DuplicateDeliveriesSkipped', unit: 'Count' },
  /** A chunk of a job that had already finished (or no longer exists). */
  chunksSkipped: { name: 'ChunksSkipped', unit: 'Count' },
  /** A chunk that ran out of deliveries and was counted failed by the dead-letter handler. */
  chunksExhausted: { name: 'ChunksExhausted', unit: 'Count' },
  /** A delivery that threw and goes back to the queue (partial batch response): not a Lambda error. */
  chunkFailures: { name: 'ChunkFailures', unit: 'Count' },
  /** Time of the chunk commit transaction. */
  chunkCommitLatency: { name: 'ChunkCommitLatency', unit: 'Milliseconds' },
  /** createdAt -> completedAt of a completed job. */
  jobDuration: { name: 'JobDuration', unit: 'Seconds' },
  /** A dead-letter message its handler failed on maxReceiveCount times, dropped. */
  deadLettersDropped: { name: 'DeadLettersDropped', unit: 'Count' },
  /**
   * After each chunk commit, the items of that job still to finish (as of the chunk's start, less the
   * chunk): a job's backlog. Its tenantId and jobId are properties, so the backlog per tenant is the sum of
   * each job's latest value (docs/architecture.md, "Fair share"); the dashboard shows the largest.
   */
  jobItemsRemaining: { name: 'JobItemsRemaining', unit: 'Count' },
  /** A job the sweeper found without progress and re-drove. */
  jobsStalled: { name: 'JobsStalled', unit: 'Count' },
} as const satisfies Record<string, MetricDefinition>;

/**
 * Alarm thresholds (infra/monitoring.ts). Each alarm notifies the alarm topic
 * when it fires and again when it recovers.
 */
export const alarms = {
  /**
   * A chunk reached the dead-letter queue. The DLQ handler drains the queue in
   * seconds, so "messages visible > 0" alone would rarely be seen by a
   * one-minute metric; the alarm adds the messages the handler received.
   * Any dead-lettered chunk means items were counted failed after retries.
   */
  deadLetter: { threshold: 0, periodSeconds: 60, evaluationPeriods: 1 },
  /**
   * Age of the oldest message on the items queue. A chunk that keeps failing is
   * delivered at most maxReceiveCount times, one visibility timeout apart, before
   * it is dead-lettered, so no message should ever be older than that: an older
   * one means the queue is not being drained (worker down, throttled or far
   * behind). A lower threshold would fire for every chunk that is merely retried.
   */
  oldestMessage: {
    thresholdSeconds: itemsQueue.maxReceiveCount * itemsQueue.visibilityTimeoutSeconds,
    periodSeconds: 60,
    evaluationPeriods: 1,
  },
  /**
   * Worker invocations that failed (crash, timeout, out of memory) as a
   * percentage of invocations. Chunks that throw are reported through partial
   * batch responses and are not Lambda errors; they show as ChunkFailures and,
   * when they persist, reach the dead-letter alarm.
   */
  workerErrorRate: { thresholdPercent: 5, periodSeconds: 300, evaluationPeriods: 1 },
  /** Any job the sweeper had to re-drive: a message was lost, expired or never committed. */
  stalledJobs: { threshold: 0, periodSeconds: 300, evaluationPeriods: 1 },
  /** A dead-letter handler gave up on a message (the sweeper re-drives its job). */
  deadLettersDropped: { threshold: 0, periodSeconds: 300, evaluationPeriods: 1 },
  /** API Gateway 5xx answers (our 500s and 503s, and Lambda crashes or timeouts) in one period. */
  api5xx: { threshold: 5, periodSeconds: 300, evaluationPeriods: 1 },
} as const;
