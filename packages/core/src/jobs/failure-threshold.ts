import type { Job } from './job';

/** The failure rate is judged only once this many items (or all, if fewer) have finished. */
export const FAILURE_THRESHOLD_MIN_ITEMS = 100;

/**
 * The reason a job with `maxFailurePercent` must stop, or undefined while it
 * may go on. Judged while a big file is still being planned too (the total is
 * not known yet, so the full minimum applies).
 */
export function failureThresholdBreach(job: Job): string | undefined {
  if (job.maxFailurePercent === undefined || job.processed === 0) return undefined;
  const minimum = job.planning ? FAILURE_THRESHOLD_MIN_ITEMS : Math.min(FAILURE_THRESHOLD_MIN_ITEMS, job.total);
  if (job.processed < minimum) return undefined;
  const rate = (job.failed / job.processed) * 100;
  if (rate <= job.maxFailurePercent) return undefined;
  return `failure rate ${round(rate)}% exceeded maxFailurePercent ${job.maxFailurePercent}% after ${job.processed} items`;
}

const round = (n: number) => Math.round(n * 100) / 100;
