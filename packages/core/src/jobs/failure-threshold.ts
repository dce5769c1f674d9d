import type { Job } from './job';

/** The failure rate is judged only once this many items (or all, if fewer) have finished. */
export const FAILURE_THRESHOLD_MIN_ITEMS = 100;

/** The reason a job with `maxFailurePercent` must stop, or undefined while it may go on. */
export function failureThresholdBreach(job: Job): string | undefined {
  if (job.maxFailurePercent === undefined || job.planning || job.processed === 0) return undefined;
  const minimum = Math.min(FAILURE_THRESHOLD_MIN_ITEMS, job.total);
  if (job.processed < minimum) return undefined;
  const rate = (job.failed / job.processed) * 100;
  if (rate <= job.maxFailurePercent) return undefined;
  return `failure rate ${round(rate)}% exceeded maxFailurePercent ${job.maxFailurePercent}% after ${job.processed} items`;
}

const round = (n: number) => Math.round(n * 100) / 100;
