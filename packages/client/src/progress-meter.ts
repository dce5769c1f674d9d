import type { Job } from './client';

/**
 * Throughput and ETA of a job as a client sees it poll after poll; the Jobs
 * page and `merchantops jobs watch` show the same numbers.
 */

export interface Estimate {
  /** Seconds since the job started; until it finished, once it has. */
  elapsedSeconds: number;
  /** Items per second: recent while running, the average once finished; null when unknown. */
  rate: number | null;
  /** Seconds until every item has finished at the current rate; null when finished or unknown. */
  etaSeconds: number | null;
}

type Observed = Pick<Job, 'status' | 'total' | 'processed' | 'createdAt' | 'completedAt'>;

export class ProgressMeter {
  private samples: { at: number; processed: number }[] = [];

  /** `windowMs`: how far back the recent rate looks. */
  constructor(private readonly windowMs = 15_000) {}

  update(job: Observed, now = Date.now()): Estimate {
    const started = Date.parse(job.createdAt);
    const end = job.completedAt ? Date.parse(job.completedAt) : now;
    const elapsedSeconds = Math.max(0, (end - started) / 1000);
    const average = elapsedSeconds > 0 && job.processed > 0 ? job.processed / elapsedSeconds : null;
    if (job.completedAt || job.status === 'completed' || job.status === 'cancelled' || job.status === 'failed') {
      return { elapsedSeconds, rate: average, etaSeconds: null };
    }

    const last = this.samples.at(-1);
    if (!last || last.processed !== job.processed) this.samples.push({ at: now, processed: job.processed });
    // Keep the window, plus the newest sample before it as the baseline.
    while (this.samples.length > 2 && this.samples[1].at <= now - this.windowMs) this.samples.shift();

    const first = this.samples[0];
    const span = (now - first.at) / 1000;
    const recent = span >= 1 && job.processed > first.processed ? (job.processed - first.processed) / span : null;
    // Before there is a recent rate, the average since the start is the best guess;
    // once the job has been seen standing still for the whole window, the rate is 0.
    const rate = recent ?? (span * 1000 >= this.windowMs ? 0 : average);
    const left = job.total === null ? null : job.total - job.processed;
    const etaSeconds = left === null || !rate ? null : left / rate;
    return { elapsedSeconds, rate, etaSeconds };
  }
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export const formatCount = (value: number | null) => (value === null ? '–' : integer.format(value));

/** "45 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} min ${two(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${two(Math.floor((s % 3600) / 60))} min`;
}

/** "1,250 items/s", "2.5 items/s", "12 items/min". */
export function formatRate(rate: number | null): string {
  if (rate === null) return '–';
  if (rate === 0) return '0 items/s';
  if (rate < 1) return `${decimal.format(rate * 60)} items/min`;
  return `${rate < 10 ? decimal.format(rate) : integer.format(rate)} items/s`;
}

/** "42.5%" */
export const formatPercent = (progress: number) => `${decimal.format(Math.floor(progress * 10) / 10)}%`;
