import type { Job } from './job';

/**
 * Percentage of finished items, rounded down to two decimals so that 100 is
 * shown only when every item has finished. An empty job is 100.
 */
export function progressOf(processed: number, total: number): number {
  if (total <= 0) return 100;
  const ratio = Math.min(processed, total) / total;
  return Math.floor(ratio * 10_000) / 100;
}

/** The job as the API shows it. */
export function jobView(job: Job) {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    total: job.total,
    processed: job.processed,
    failed: job.failed,
    succeeded: job.processed - job.failed,
    progress: progressOf(job.processed, job.total),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    completedAt: job.completedAt ?? null,
    error: job.error ?? null,
  };
}

export type JobView = ReturnType<typeof jobView>;
