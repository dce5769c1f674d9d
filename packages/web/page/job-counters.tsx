import { isFinished, type Job } from '@merchantops/client/client';
import { formatCount, formatDuration, formatRate, type Estimate } from '@merchantops/client/progress-meter';

function Counter({ label, field, value, class: className }: { label: string; field: string; value: string; class?: string }) {
  return (
    <div class={className} data-field={field}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Total, processed, succeeded, failed, and the rate with an ETA (running) or the duration (finished). */
export function JobCounters({ job, estimate }: { job: Job; estimate: Estimate }) {
  const running = !isFinished(job);
  return (
    <>
      <Counter label="Total" field="total" value={job.total === null ? 'counting…' : formatCount(job.total)} />
      <Counter label="Processed" field="processed" value={formatCount(job.processed)} />
      <Counter label="Succeeded" field="succeeded" value={formatCount(job.succeeded)} />
      <Counter label="Failed" field="failed" value={formatCount(job.failed)} class={job.failed > 0 ? 'counter--failed' : undefined} />
      <Counter label={running ? 'Rate' : 'Average rate'} field="rate" value={formatRate(estimate.rate)} />
      {running ? (
        <Counter label="ETA" field="eta" value={formatDuration(estimate.etaSeconds)} />
      ) : (
        <Counter label="Duration" field="duration" value={formatDuration(estimate.elapsedSeconds)} />
      )}
    </>
  );
}

/** What a finished job produced (counts by name), if anything. */
export function JobResult({ job }: { job: Job }) {
  if (!job.result) return null;
  return (
    <dl class="counters counters--result" aria-label="Result">
      {Object.entries(job.result).map(([name, value]) => (
        <div data-field={`result-${name}`}>
          <dt>{`Result: ${name}`}</dt>
          <dd>{typeof value === 'number' ? formatCount(value) : value}</dd>
        </div>
      ))}
    </dl>
  );
}
