import { isFinished, type Job } from '@merchantops/client/client';
import { formatCount, formatDuration, formatRate, type Estimate } from '@merchantops/client/progress-meter';
import type { Child } from 'hono/jsx/dom';
import { jobName, shortId, typeName } from './format';
import { ProgressBar } from './progress-bar';
import { StatusBadge } from './status-badge';
import { Time } from './time';

/** A cell labelled by its column: at a phone width the table stacks into cards that show the labels. */
function Cell({ label, field, class: className, children }: { label: string; field: string; class?: string; children?: Child }) {
  return (
    <td data-label={label} data-field={field} class={className}>
      {children}
    </td>
  );
}

/** One job in the list; data-job-id and data-status say which job and where it is. */
export function JobRow({ job, estimate }: { job: Job; estimate: Estimate }) {
  const running = !isFinished(job);
  const rateEta =
    running && estimate.rate !== null
      ? `${formatRate(estimate.rate)}${estimate.etaSeconds !== null ? ` · ETA ${formatDuration(estimate.etaSeconds)}` : ''}`
      : running
        ? 'measuring…'
        : '–';
  return (
    <tr data-job-id={job.id} data-status={job.status} class={job.status === 'completed' && job.failed > 0 ? 'row--with-failures' : undefined}>
      <th scope="row" data-label="Job" data-field="id">
        <a href={`#/jobs/${job.id}`} aria-label={`${jobName(job)}, details`}>
          <code>{shortId(job.id)}</code>
        </a>
        {job.dryRun ? <span class="tag">dry run</span> : null}
        {job.retryOf ? (
          <span class="tag" title={`retry of job ${job.retryOf}`}>
            retry
          </span>
        ) : null}
      </th>
      <Cell label="Type" field="type">
        {typeName(job.type)}
      </Cell>
      <Cell label="Status" field="status">
        <StatusBadge job={job} />
      </Cell>
      <Cell label="Total" field="total" class="num">
        {formatCount(job.total)}
      </Cell>
      <Cell label="Processed" field="processed" class="num">
        {formatCount(job.processed)}
      </Cell>
      <Cell label="Failed" field="failed" class={`num${job.failed > 0 ? ' failed-count' : ''}`}>
        {formatCount(job.failed)}
      </Cell>
      <Cell label="Progress" field="progress" class="progress-cell">
        <ProgressBar job={job} />
      </Cell>
      <Cell label="Started" field="started">
        <Time iso={job.createdAt} />
      </Cell>
      <Cell label="Duration" field="duration">
        {formatDuration(estimate.elapsedSeconds)}
      </Cell>
      <Cell label="Rate · ETA" field="rate" class={running ? undefined : 'muted'}>
        {rateEta}
      </Cell>
    </tr>
  );
}
