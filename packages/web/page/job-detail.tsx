import { ApiError, isFinished, type Job } from '@merchantops/client/client';
import { ProgressMeter, type Estimate } from '@merchantops/client/progress-meter';
import { useMemo, useState } from 'hono/jsx/dom';
import type { PageContext } from './context';
import { FailedItems } from './failed-items';
import { FailureSummary } from './failure-summary';
import { jobName, shortId, typeName } from './format';
import { JobActions, retryAction } from './job-actions';
import { JobCounters, JobResult } from './job-counters';
import { JobMeta } from './job-meta';
import { ACTIVE_POLL_MS } from './poller';
import { ProgressBar } from './progress-bar';
import { StatusBadge } from './status-badge';
import { useAction } from './use-action';
import { useMounted } from './use-mounted';
import { usePoller } from './use-poller';
import { useView } from './use-view';

/** A finished job changes only when someone retries it; it is polled slowly. */
const FINISHED_POLL_MS = 5000;

const BackLink = () => (
  <a class="back" href="#/">
    ← All jobs
  </a>
);

/** A job's page: live status, counters and actions, its failures by reason and the failed items. */
export function JobDetail({ page, id }: { page: PageContext; id: string }) {
  const meter = useMemo(() => new ProgressMeter(), []);
  const [shown, setShown] = useState<{ job: Job; estimate: Estimate } | null>(null);
  const [missing, setMissing] = useState(false);
  const mounted = useMounted();
  const job = shown?.job;
  const heading = useView(job ? `${jobName(job)} · Jobs · MerchantOps` : `Job ${shortId(id)} · MerchantOps`);

  const poller = usePoller(async () => {
    let fresh: Job;
    try {
      fresh = await page.client.getJob(id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        if (mounted.current) setMissing(true);
        poller.current?.stop();
        return 0;
      }
      throw error;
    }
    page.connected();
    if (mounted.current) setShown({ job: fresh, estimate: meter.update(fresh) });
    return isFinished(fresh) ? FINISHED_POLL_MS : ACTIVE_POLL_MS;
  }, page.reportError);
  const { busy, status, run } = useAction(page, () => poller.current?.now());

  if (missing) {
    return (
      <section id="job-view" aria-labelledby="job-title">
        <BackLink />
        <h1 tabindex={-1}>Job not found</h1>
        <p>{`There is no job ${id} for this API key.`}</p>
      </section>
    );
  }
  return (
    <section id="job-view" aria-labelledby="job-title">
      <BackLink />
      <div class="detail-head">
        <h1 id="job-title" tabindex={-1} ref={heading}>
          {job ? `${typeName(job.type)} job ` : 'Job '}
          <code>{shortId(id)}</code>
        </h1>
        <span>{job ? <StatusBadge job={job} /> : null}</span>
      </div>
      <p class="meta">{job ? <JobMeta job={job} /> : null}</p>
      <div>{job ? <ProgressBar job={job} large /> : null}</div>
      <dl class="counters">{shown ? <JobCounters job={shown.job} estimate={shown.estimate} /> : null}</dl>
      <div>
        {job?.error ? (
          <p class="notice notice--error" role="alert">
            {`This job failed: ${job.error}`}
          </p>
        ) : null}
      </div>
      <div>{job ? <JobResult job={job} /> : null}</div>
      <div class="actions" role="group" aria-label="Actions">
        {job ? <JobActions page={page} job={job} busy={busy} run={run} /> : null}
      </div>
      <p class={`action-status${status.error ? ' error' : ''}`} role="status">
        {status.text}
      </p>
      <h2 id="summary-title">Failures by reason</h2>
      <div>
        {job ? (
          <FailureSummary job={job} busy={busy} onRetry={(reason) => void run(`retry:${reason}`, 'Starting a retry…', retryAction(page, job, reason))} />
        ) : null}
      </div>
      <h2 id="failures-title">Failed items</h2>
      <div>{job ? <FailedItems page={page} jobId={id} failed={job.failed} /> : null}</div>
    </section>
  );
}
