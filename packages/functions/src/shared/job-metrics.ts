import type { JobEvents } from '@merchantops/core/jobs/events';
import type { Job } from '@merchantops/core/jobs/job';
import { metrics } from '@merchantops/core/resources/monitoring';
import { errorText } from '@merchantops/core/shared/errors';
import { log } from './log';
import { emitMetrics, type MetricSink, type MetricValues } from './metrics';

export interface JobTelemetryOptions {
  /** Where metric records go; stdout by default. Log lines always go to stdout, under LOG_LEVEL. */
  metricSink?: MetricSink;
}

/** What identifies a job in a log line or metric record: never its items. */
const jobFields = (job: Job) => ({ jobId: job.id, tenantId: job.tenantId, jobType: job.type });

const FINISHED = {
  completed: metrics.jobsCompleted,
  failed: metrics.jobsFailed,
  cancelled: metrics.jobsCancelled,
} as const;

/**
 * The JobEvents observer of the Lambdas (and of the local runtime): a log
 * line when a job is created or finishes, and EMF metrics for jobs created and
 * finished by type, items processed and failed, duplicate deliveries, skipped
 * and exhausted chunks, commit latency and job duration. It never throws: a
 * broken observer must not fail the work it watches.
 */
export function jobTelemetry(options: JobTelemetryOptions = {}): JobEvents {
  const emit = (values: MetricValues, job: Job, properties: Record<string, unknown> = {}) =>
    emitMetrics(values, job.type, { ...jobFields(job), ...properties }, options.metricSink);

  return {
    jobCreated: guarded('jobCreated', (job) => {
      log('info', 'job created', { ...jobFields(job), status: job.status, total: job.total, chunkCount: job.chunkCount });
      emit([[metrics.jobsCreated, 1]], job);
    }),

    chunkFinished: guarded('chunkFinished', (event) => {
      const { job, chunk, outcome, processed, failed, commitMs, exhausted } = event;
      const properties = { chunk, outcome, exhausted };
      if (outcome === 'committed') {
        emit(
          [
            [metrics.itemsProcessed, processed],
            [metrics.itemsFailed, failed],
            [metrics.chunkCommitLatency, commitMs],
            ...(exhausted ? ([[metrics.chunksExhausted, 1]] as MetricValues) : []),
            // The job's backlog; unknown while the planner is still counting.
            ...(job.planning ? [] : ([[metrics.jobItemsRemaining, Math.max(0, job.total - job.processed - processed)]] as MetricValues)),
          ],
          job,
          { ...properties, processed, failed },
        );
        if (exhausted) {
          log('warn', 'chunk counted failed after exhausting its deliveries', { ...jobFields(job), chunk, failed });
        }
      } else if (outcome === 'duplicate') {
        emit([[metrics.duplicateDeliveriesSkipped, 1], [metrics.chunkCommitLatency, commitMs]], job, properties);
      } else {
        emit([[metrics.chunksSkipped, 1]], job, properties);
      }
    }),

    jobStalled: guarded('jobStalled', (job) => {
      log('warn', 'job stalled: re-driving its unfinished work', {
        ...jobFields(job),
        status: job.status,
        total: job.total,
        processed: job.processed,
        stalledRedrives: job.stalledRedrives,
      });
      emit([[metrics.jobsStalled, 1]], job);
    }),

    jobFinished: guarded('jobFinished', (job) => {
      const seconds = durationSeconds(job);
      log(job.status === 'completed' ? 'info' : 'warn', `job ${job.status}`, {
        ...jobFields(job),
        status: job.status,
        total: job.total,
        processed: job.processed,
        failed: job.failed,
        durationSeconds: seconds,
        ...(job.error ? { error: job.error } : {}),
      });
      const counter = FINISHED[job.status as keyof typeof FINISHED];
      if (!counter) return;
      // Duration only of completed jobs: a failed or cancelled job stopped early, its time says nothing.
      // A finished job's backlog is none: its remaining chunks are skipped.
      emit(
        job.status === 'completed' && seconds !== undefined
          ? [[counter, 1], [metrics.jobItemsRemaining, 0], [metrics.jobDuration, seconds]]
          : [[counter, 1], [metrics.jobItemsRemaining, 0]],
        job,
        { status: job.status },
      );
    }),
  };
}

/** createdAt -> completedAt in seconds, or undefined when a timestamp is missing or unreadable. */
function durationSeconds(job: Job): number | undefined {
  const ms = Date.parse(job.completedAt ?? '') - Date.parse(job.createdAt);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

/** Wraps an event handler so that nothing it throws reaches the pipeline. */
function guarded<A>(event: string, fn: (arg: A) => void): (arg: A) => void {
  return (arg) => {
    try {
      fn(arg);
    } catch (error) {
      try {
        log('warn', 'job telemetry failed', { event, error: errorText(error) });
      } catch {
        // not even the error could be described; the work goes on regardless.
      }
    }
  };
}
