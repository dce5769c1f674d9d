import type { Job } from '@merchantops/client/client';
import { formatCount, formatPercent } from '@merchantops/client/progress-meter';
import { jobName } from './format';

/**
 * role="progressbar" with aria-valuenow/min/max (and a valuetext with the
 * counts); a job whose items are still being counted is indeterminate.
 */
export function ProgressBar({ job, large = false }: { job: Job; large?: boolean }) {
  const counting = job.total === null;
  const total = job.total ?? 0;
  const okShare = total > 0 ? ((job.processed - job.failed) / total) * 100 : counting ? 0 : 100;
  const failedShare = total > 0 ? (job.failed / total) * 100 : 0;
  const valueText = counting
    ? `counting items, ${formatCount(job.processed)} processed`
    : `${formatPercent(job.progress)}: ${formatCount(job.processed)} of ${formatCount(total)} processed, ${formatCount(job.failed)} failed`;
  const done = job.progress >= 100 && !counting;
  return (
    <div class={`progress${large ? ' progress--large' : ''}`}>
      <div
        class={`bar${done ? ' bar--done' : ''}${counting ? ' bar--indeterminate' : ''}`}
        role="progressbar"
        aria-label={`Progress of ${jobName(job)}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={counting ? undefined : job.progress}
        aria-valuetext={valueText}
      >
        <span class="bar-ok" style={`width:${okShare.toFixed(2)}%`} />
        <span class="bar-failed" style={`width:${failedShare.toFixed(2)}%`} />
      </div>
      <span class="pct" aria-hidden="true">
        {counting ? '…' : formatPercent(job.progress)}
      </span>
    </div>
  );
}
