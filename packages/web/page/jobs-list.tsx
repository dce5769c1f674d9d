import { isFinished, type Job } from '@merchantops/client/client';
import { formatCount, ProgressMeter } from '@merchantops/client/progress-meter';
import { useMemo, useState } from 'hono/jsx/dom';
import type { PageContext } from './context';
import { jobName, statusText } from './format';
import { JobFilters } from './job-filters';
import { JobsFeed } from './jobs-feed';
import { JobsTable, type ListedJob } from './jobs-table';
import { ACTIVE_POLL_MS } from './poller';
import type { Filters } from './route';
import { useMounted } from './use-mounted';
import { usePoller } from './use-poller';
import { useView } from './use-view';

/** Live updates: a change shows within 2 s (poll + answer); unchanged answers are 304s with no body. */
export const IDLE_POLL_MS = 1500;

interface Shown {
  rows: ListedJob[];
  checkedAt: number;
  hasOlder: boolean;
}

/** The live list of the tenant's jobs, filtered by type and status. */
export function JobsList({ page, filters }: { page: PageContext; filters: Filters }) {
  const feed = useMemo(() => new JobsFeed(filters), []);
  const meters = useMemo(() => new Map<string, ProgressMeter>(), []);
  const statuses = useMemo(() => new Map<string, string>(), []);
  const [shown, setShown] = useState<Shown | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const mounted = useMounted();
  const heading = useView('Jobs · MerchantOps');

  /** Says when a job finishes while the page watches it. */
  function announceChanges(jobs: Job[]) {
    for (const job of jobs) {
      const before = statuses.get(job.id);
      const now = statusText(job);
      if (before && before !== now && isFinished(job)) {
        page.announce(`${jobName(job)}: ${now.toLowerCase()}, ${formatCount(job.processed)} processed, ${formatCount(job.failed)} failed`);
      }
      statuses.set(job.id, now);
    }
  }

  /** Shows the feed; answers whether a job in it is still active. */
  function show() {
    const jobs = feed.jobs();
    announceChanges(jobs);
    const now = Date.now();
    const rows = jobs.map((job) => {
      const meter = meters.get(job.id) ?? new ProgressMeter();
      meters.set(job.id, meter);
      return { job, estimate: meter.update(job, now) };
    });
    if (mounted.current) setShown({ rows, checkedAt: now, hasOlder: !!feed.olderCursor });
    return jobs.some((job) => !isFinished(job));
  }

  usePoller(async () => {
    await feed.refresh(page.client);
    page.connected();
    return show() ? ACTIVE_POLL_MS : IDLE_POLL_MS;
  }, page.reportError);

  async function showOlder() {
    setLoadingOlder(true);
    try {
      await feed.loadOlder(page.client);
      show();
    } catch (error) {
      page.reportError(error);
    } finally {
      if (mounted.current) setLoadingOlder(false);
    }
  }

  const filtered = !!(filters.type || filters.status);
  return (
    <section id="jobs-view" aria-labelledby="jobs-title">
      <div class="view-head">
        <h1 id="jobs-title" tabindex={-1} ref={heading}>
          Jobs
        </h1>
        <p class="live muted" aria-hidden="true">
          <span class="live-dot" />
          <span id="jobs-updated">{shown ? `Live · checked ${new Date(shown.checkedAt).toLocaleTimeString()}` : 'Live'}</span>
        </p>
      </div>
      <JobFilters filters={filters} />
      <JobsTable rows={shown?.rows ?? []} />
      <p id="jobs-empty" class="empty" hidden={!shown || shown.rows.length > 0}>
        {!shown ? '' : filtered ? 'No jobs match these filters.' : 'No jobs yet. Create one with the API or the CLI (npx merchantops jobs create …).'}
      </p>
      <p class="more">
        <button id="jobs-more" type="button" class="button" hidden={!shown?.hasOlder} disabled={loadingOlder} onClick={() => void showOlder()}>
          Show older jobs
        </button>
      </p>
    </section>
  );
}
