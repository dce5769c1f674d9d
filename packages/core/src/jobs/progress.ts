import type { Job } from './job';
import { isFinished } from './status';

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

/** No commit for this long while items are left: the job is shown waiting for its turn. */
export const WAITING_AFTER_SECONDS = 5;

/**
 * 'fair-share' when the job has counted items left, is neither being planned
 * nor stalled, and none of its chunks has committed for WAITING_AFTER_SECONDS:
 * its chunks are queued behind other work, which the fair queue hands out in
 * turns across tenants. Inferred from the job record alone (no extra read or
 * write), so best effort: it cannot tell other tenants' work from this
 * tenant's earlier jobs or from a chunk waiting for its retry.
 */
export function waitingOf(job: Job, now = new Date()): 'fair-share' | null {
  if (isFinished(job.status) || job.planning || job.stalledAt || job.processed >= job.total) return null;
  return now.getTime() - Date.parse(job.updatedAt) >= WAITING_AFTER_SECONDS * 1000 ? 'fair-share' : null;
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
    waiting: waitingOf(job),
    callbackUrl: job.callbackUrl ?? null,
    retryOf: job.retryOf ?? null,
    retries: job.retries ?? [],
  };
}

export type JobView = ReturnType<typeof jobView>;
