import { isFinished, type Job, type JobList } from '@merchantops/client/client';
import { formatCount, formatDuration, formatRate, ProgressMeter } from '@merchantops/client/progress-meter';
import { JOB_STATUSES, JOB_TYPES } from '@merchantops/core/jobs/job';
import { byId, h, patchRow } from './dom';
import type { PageContext, View } from './context';
import { ACTIVE_POLL_MS, Poller } from './poller';
import { jobName, progressBar, shortId, statusBadge, statusText, timeElement, typeName } from './widgets';

/** Live updates: a change shows within 2 s (poll + answer); unchanged answers are 304s with no body. */
export const IDLE_POLL_MS = 1500;
const PAGE_SIZE = 25;

export interface Filters {
  type?: Job['type'];
  status?: Job['status'];
}

export function filtersFromQuery(query: URLSearchParams): Filters {
  const type = query.get('type');
  const status = query.get('status');
  return {
    ...(JOB_TYPES.includes(type as Job['type']) ? { type: type as Job['type'] } : {}),
    ...(JOB_STATUSES.includes(status as Job['status']) ? { status: status as Job['status'] } : {}),
  };
}

/** The sort key of the jobs listing (newest first): createdAt, then id. */
const order = (job: Job) => `${job.createdAt}#${job.id}`;

export function jobsListView(page: PageContext, filters: Filters): View {
  const section = byId('jobs-view');
  const tbody = byId<HTMLTableElement>('jobs-table').tBodies[0];
  const empty = byId('jobs-empty');
  const more = byId<HTMLButtonElement>('jobs-more');
  const updated = byId('jobs-updated');
  section.hidden = false;
  tbody.replaceChildren();
  setUpFilters(filters);

  /** Every job shown, by id: the polled first page, older pages, and jobs new ones pushed off the first page. */
  const shown = new Map<string, Job>();
  const meters = new Map<string, ProgressMeter>();
  let firstPage: JobList | undefined;
  let olderCursor: string | null | undefined;
  const matches = (job: Job) => (!filters.type || job.type === filters.type) && (!filters.status || job.status === filters.status);

  function mergeFirstPage(list: JobList) {
    const oldest = list.jobs.at(-1);
    const ids = new Set(list.jobs.map((job) => job.id));
    for (const [id, job] of shown) {
      // inside the range the first page covers, the first page is the truth
      if (!ids.has(id) && (list.nextCursor === null || !oldest || order(job) >= order(oldest))) shown.delete(id);
    }
    for (const job of list.jobs) shown.set(job.id, job);
    if (olderCursor === undefined) olderCursor = list.nextCursor;
  }

  /** Active jobs outside the first page are refreshed one by one (conditional GETs too). */
  async function refreshOlderActive() {
    const inFirst = new Set(firstPage?.jobs.map((job) => job.id));
    const stale = [...shown.values()].filter((job) => !inFirst.has(job.id) && !isFinished(job));
    await Promise.all(
      stale.map(async (job) => {
        const fresh = await page.client.getJob(job.id);
        if (matches(fresh)) shown.set(fresh.id, fresh);
        else shown.delete(fresh.id);
      }),
    );
  }

  const previousStatus = new Map<string, string>();
  function announceChanges(jobs: Job[]) {
    for (const job of jobs) {
      const before = previousStatus.get(job.id);
      const now = statusText(job);
      if (before && before !== now && isFinished(job)) {
        page.announce(`${jobName(job)}: ${now.toLowerCase()}, ${formatCount(job.processed)} processed, ${formatCount(job.failed)} failed`);
      }
      previousStatus.set(job.id, now);
    }
  }

  function render() {
    const jobs = [...shown.values()].sort((a, b) => (order(a) < order(b) ? 1 : -1));
    announceChanges(jobs);
    const now = Date.now();
    const wanted = new Set(jobs.map((job) => job.id));
    for (const row of Array.from(tbody.rows)) if (!wanted.has(row.dataset.jobId ?? '')) row.remove();
    jobs.forEach((job, i) => {
      const meter = meters.get(job.id) ?? new ProgressMeter();
      meters.set(job.id, meter);
      const next = jobRow(job, meter, now);
      const current = Array.from(tbody.rows).find((row) => row.dataset.jobId === job.id);
      if (current) patchRow(current, next);
      const row = current ?? next;
      if (tbody.rows[i] !== row) tbody.insertBefore(row, tbody.rows[i] ?? null);
    });
    empty.hidden = jobs.length > 0;
    empty.textContent = filters.type || filters.status ? 'No jobs match these filters.' : 'No jobs yet. Create one with the API or the CLI (npx merchantops jobs create …).';
    more.hidden = !olderCursor;
    updated.textContent = `Live · checked ${new Date(now).toLocaleTimeString()}`;
    return jobs.some((job) => !isFinished(job));
  }

  const poller = new Poller(
    async () => {
      const list = await page.client.listJobs({ ...filters, limit: PAGE_SIZE });
      if (list !== firstPage) mergeFirstPage(list);
      firstPage = list;
      await refreshOlderActive();
      page.connected();
      return render() ? ACTIVE_POLL_MS : IDLE_POLL_MS;
    },
    (error) => page.reportError(error),
  );
  poller.start();

  const showOlder = async () => {
    if (!olderCursor) return;
    more.disabled = true;
    try {
      const list = await page.client.listJobs({ ...filters, limit: PAGE_SIZE, cursor: olderCursor });
      for (const job of list.jobs) if (!shown.has(job.id)) shown.set(job.id, job);
      olderCursor = list.nextCursor;
      render();
    } catch (error) {
      page.reportError(error);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', showOlder);

  return {
    title: 'Jobs',
    stop() {
      poller.stop();
      more.removeEventListener('click', showOlder);
      section.hidden = true;
    },
  };
}

function setUpFilters(filters: Filters) {
  const form = byId<HTMLFormElement>('filters');
  const type = form.elements.namedItem('type') as HTMLSelectElement;
  const status = form.elements.namedItem('status') as HTMLSelectElement;
  if (type.options.length === 1) {
    for (const value of JOB_TYPES) type.add(new Option(typeName(value), value));
    for (const value of JOB_STATUSES) status.add(new Option(value[0].toUpperCase() + value.slice(1), value));
    form.addEventListener('change', () => {
      const query = new URLSearchParams();
      if (type.value) query.set('type', type.value);
      if (status.value) query.set('status', status.value);
      const search = query.toString();
      location.hash = search ? `#/?${search}` : '#/';
    });
  }
  type.value = filters.type ?? '';
  status.value = filters.status ?? '';
}

function jobRow(job: Job, meter: ProgressMeter, now: number) {
  const estimate = meter.update(job, now);
  const running = !isFinished(job);
  const cell = (label: string, field: string, content: Parameters<typeof h>[2], className?: string) =>
    h('td', { 'data-label': label, 'data-field': field, class: className }, content);
  const rateEta =
    running && estimate.rate !== null
      ? `${formatRate(estimate.rate)}${estimate.etaSeconds !== null ? ` · ETA ${formatDuration(estimate.etaSeconds)}` : ''}`
      : running
        ? 'measuring…'
        : '–';
  return h(
    'tr',
    { 'data-job-id': job.id, 'data-status': job.status, class: job.status === 'completed' && job.failed > 0 ? 'row--with-failures' : null },
    h(
      'th',
      { scope: 'row', 'data-label': 'Job', 'data-field': 'id' },
      h('a', { href: `#/jobs/${job.id}`, 'aria-label': `${jobName(job)}, details` }, h('code', {}, shortId(job.id))),
      job.dryRun ? h('span', { class: 'tag' }, 'dry run') : null,
      job.retryOf ? h('span', { class: 'tag', title: `retry of job ${job.retryOf}` }, 'retry') : null,
    ),
    cell('Type', 'type', typeName(job.type)),
    cell('Status', 'status', statusBadge(job)),
    cell('Total', 'total', formatCount(job.total), 'num'),
    cell('Processed', 'processed', formatCount(job.processed), 'num'),
    cell('Failed', 'failed', formatCount(job.failed), `num${job.failed > 0 ? ' failed-count' : ''}`),
    cell('Progress', 'progress', progressBar(job), 'progress-cell'),
    cell('Started', 'started', timeElement(job.createdAt)),
    cell('Duration', 'duration', formatDuration(estimate.elapsedSeconds)),
    cell('Rate · ETA', 'rate', rateEta, running ? undefined : 'muted'),
  );
}
