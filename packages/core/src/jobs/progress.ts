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

/** Failed items grouped by reason, most frequent first. */
export function failureSummary(job: Job): { reason: string; count: number }[] {
  return Object.entries(job.failureReasons ?? {})
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/** The job as the API shows it. While the planner is still counting, total is null. */
export function jobView(job: Job) {
  const planning = Boolean(job.planning);
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    total: planning ? null : job.total,
    processed: job.processed,
    failed: job.failed,
    succeeded: job.processed - job.failed,
    progress: planning ? 0 : progressOf(job.processed, job.total),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    completedAt: job.completedAt ?? null,
    error: job.error ?? null,
    source: job.source ?? { kind: 'items' },
    planning,
    dryRun: Boolean(job.dryRun),
    ...(job.format ? { format: job.format } : {}),
    maxFailurePercent: job.maxFailurePercent ?? null,
    result: job.result && Object.keys(job.result).length ? job.result : null,
    failureSummary: failureSummary(job),
    otherReasons: job.otherReasons ?? 0,
    stalled: Boolean(job.stalledAt),
    stalledAt: job.stalledAt ?? null,
    callbackUrl: job.callbackUrl ?? null,
    retryOf: job.retryOf ?? null,
    retries: job.retries ?? [],
  };
}

export type JobView = ReturnType<typeof jobView>;
