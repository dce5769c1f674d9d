import { ApiError, isFinished, type Failure, type FailureList, type Job } from '@merchantops/client/client';
import { formatCount, formatDuration, formatRate, ProgressMeter } from '@merchantops/client/progress-meter';
import { byId, h, replaceChildren, type Child } from './dom';
import type { PageContext, View } from './context';
import { ACTIVE_POLL_MS, Poller } from './poller';
import { jobName, progressBar, shortId, statusBadge, statusText, timeElement, typeName } from './widgets';

/** A finished job changes only when someone retries it; it is polled slowly. */
const FINISHED_POLL_MS = 5000;
const FAILURES_PAGE = 20;

export function jobDetailView(page: PageContext, id: string): View {
  const section = byId('job-view');
  section.hidden = false;
  const slots = {
    badge: h('span'),
    meta: h('p', { class: 'meta' }),
    progress: h('div'),
    counters: h('dl', { class: 'counters' }),
    problem: h('div'),
    result: h('div'),
    actions: h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' }),
    actionStatus: h('p', { class: 'action-status', role: 'status' }),
    summary: h('div'),
    failures: h('div'),
  };
  const title = h('h1', { id: 'job-title', tabindex: '-1' }, 'Job ', h('code', {}, shortId(id)));
  replaceChildren(
    section,
    h('a', { class: 'back', href: '#/' }, '← All jobs'),
    h('div', { class: 'detail-head' }, title, slots.badge),
    slots.meta,
    slots.progress,
    slots.counters,
    slots.problem,
    slots.result,
    slots.actions,
    slots.actionStatus,
    h('h2', { id: 'summary-title' }, 'Failures by reason'),
    slots.summary,
    h('h2', { id: 'failures-title' }, 'Failed items'),
    slots.failures,
  );

  const meter = new ProgressMeter();
  const keys = new Map<string, string>();
  /** Re-renders a part only when what it shows has changed, so focus stays where it is. */
  const renderIf = (name: string, key: string, render: () => void) => {
    if (keys.get(name) === key) return;
    keys.set(name, key);
    render();
  };
  let job: Job | undefined;
  let stopped = false;

  const counter = (label: string, field: string, value: string, className = '') =>
    h('div', { class: className, 'data-field': field }, h('dt', {}, label), h('dd', {}, value));

  function update(next: Job) {
    const changed = next !== job;
    job = next;
    const estimate = meter.update(next);
    const running = !isFinished(next);
    if (changed) {
      title.replaceChildren(`${typeName(next.type)} job `, h('code', {}, shortId(next.id)));
      renderIf('badge', statusText(next), () => replaceChildren(slots.badge, statusBadge(next)));
      renderIf('meta', JSON.stringify([next.createdAt, next.completedAt, next.retryOf, next.retries, next.source, next.dryRun]), () =>
        replaceChildren(slots.meta, meta(next)),
      );
      replaceChildren(slots.progress, progressBar(next, { large: true }));
      renderIf('problem', next.error ?? '', () =>
        replaceChildren(slots.problem, next.error ? h('p', { class: 'notice notice--error', role: 'alert' }, `This job failed: ${next.error}`) : null),
      );
      renderIf('result', JSON.stringify(next.result), () => replaceChildren(slots.result, resultList(next)));
      renderIf('actions', JSON.stringify([next.status, next.failed > 0, next.planning]), () => replaceChildren(slots.actions, actions(next)));
      renderIf('summary', JSON.stringify([next.failureSummary, running]), () => replaceChildren(slots.summary, summary(next)));
      if (keys.get('failed') !== String(next.failed)) {
        keys.set('failed', String(next.failed));
        if (failures.index === 0) void failures.load(0);
      }
      document.title = `${jobName(next)} · Jobs · MerchantOps`;
    }
    replaceChildren(
      slots.counters,
      counter('Total', 'total', next.total === null ? 'counting…' : formatCount(next.total)),
      counter('Processed', 'processed', formatCount(next.processed)),
      counter('Succeeded', 'succeeded', formatCount(next.succeeded)),
      counter('Failed', 'failed', formatCount(next.failed), next.failed > 0 ? 'counter--failed' : ''),
      counter(running ? 'Rate' : 'Average rate', 'rate', formatRate(estimate.rate)),
      running
        ? counter('ETA', 'eta', formatDuration(estimate.etaSeconds))
        : counter('Duration', 'duration', formatDuration(estimate.elapsedSeconds)),
    );
    return running;
  }

  function meta(current: Job): Child[] {
    const link = (other: string) => h('a', { href: `#/jobs/${other}` }, h('code', {}, shortId(other)));
    const source = current.source;
    const from =
      source.kind === 'upload'
        ? `an uploaded ${source.format.toUpperCase()} file`
        : source.kind === 'select'
          ? source.missing
            ? `products missing ${source.missing.join(', ')}`
            : 'all products'
          : source.kind === 'retry'
            ? `the failed items of job ${shortId(source.jobId)}${source.reason ? ` (${source.reason})` : ''}`
            : 'items in the request';
    return [
      h('span', {}, 'Id ', h('code', {}, current.id)),
      ' · started ',
      timeElement(current.createdAt),
      current.completedAt ? [' · finished ', timeElement(current.completedAt)] : null,
      ` · from ${from}`,
      current.dryRun ? ' · dry run (nothing written)' : null,
      current.retryOf ? [' · retry of ', link(current.retryOf)] : null,
      current.retries.length ? [' · retried by ', current.retries.map((other, i) => [i ? ', ' : '', link(other)])] : null,
    ];
  }

  function resultList(current: Job) {
    if (!current.result) return null;
    return h(
      'dl',
      { class: 'counters counters--result', 'aria-label': 'Result' },
      Object.entries(current.result).map(([name, value]) =>
        h('div', { 'data-field': `result-${name}` }, h('dt', {}, `Result: ${name}`), h('dd', {}, typeof value === 'number' ? formatCount(value) : value)),
      ),
    );
  }

  /** Runs an action, says how it went, and refreshes at once. */
  async function act(button: HTMLButtonElement, working: string, action: () => Promise<string | void>) {
    button.disabled = true;
    slots.actionStatus.classList.remove('error');
    slots.actionStatus.textContent = working;
    try {
      slots.actionStatus.textContent = (await action()) ?? '';
      poller.now();
    } catch (error) {
      slots.actionStatus.classList.add('error');
      slots.actionStatus.textContent = error instanceof ApiError ? error.message : String(error);
      if (error instanceof ApiError && error.status === 401) page.reportError(error);
    } finally {
      button.disabled = false;
    }
  }

  const download = (link: { url: string }) => {
    const anchor = h('a', { href: link.url, rel: 'noreferrer' });
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
  };

  function retry(current: Job, reason?: string) {
    return async () => {
      const created = await page.client.retryJob(current.id, reason ? { reason } : {});
      page.navigate(`#/jobs/${created.id}`);
      return `Started ${jobName(created)}`;
    };
  }

  function actions(current: Job): Child[] {
    const button = (label: string, className: string, onClick: (button: HTMLButtonElement) => void) => {
      const element = h('button', { type: 'button', class: `button ${className}` }, label);
      element.addEventListener('click', () => onClick(element));
      return element;
    };
    const finished = isFinished(current);
    return [
      !finished
        ? button('Cancel job', 'button--danger', (b) => {
            if (!confirm(`Cancel ${jobName(current)}? Items not started yet are skipped.`)) return;
            void act(b, 'Cancelling…', async () => {
              await page.client.cancelJob(current.id);
              return 'Cancelled.';
            });
          })
        : null,
      finished && current.failed > 0 && !current.planning
        ? button(`Retry ${formatCount(current.failed)} failed items`, 'button--primary', (b) => void act(b, 'Starting a retry…', retry(current)))
        : null,
      current.type === 'export' && current.status === 'completed' && !current.dryRun
        ? button('Download export', '', (b) =>
            void act(b, 'Preparing the download…', async () => {
              download(await page.client.resultFileLink(current.id));
              return 'Download started.';
            }),
          )
        : null,
      current.failed > 0
        ? button('Download failed rows (CSV)', '', (b) =>
            void act(b, 'Preparing the download…', async () => {
              download(await page.client.failuresFileLink(current.id));
              return 'Download started.';
            }),
          )
        : null,
    ];
  }

  function summary(current: Job) {
    if (!current.failureSummary.length) return h('p', { class: 'muted' }, current.failed ? 'Counting reasons…' : 'No failed items.');
    const finished = isFinished(current);
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'stack', 'aria-labelledby': 'summary-title' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col', class: 'num' }, 'Items'), h('th', { scope: 'col' }, 'Share'), finished ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Action')) : null),
        ),
        h(
          'tbody',
          {},
          current.failureSummary.map(({ reason, count }) => {
            const share = current.failed ? (count / current.failed) * 100 : 0;
            const retryButton = h('button', { type: 'button', class: 'button button--small' }, 'Retry these');
            retryButton.addEventListener('click', () => void act(retryButton, 'Starting a retry…', retry(current, reason)));
            return h(
              'tr',
              {},
              h('td', { 'data-label': 'Reason', class: 'reason' }, reason),
              h('td', { 'data-label': 'Items', class: 'num' }, formatCount(count)),
              h('td', { 'data-label': 'Share' }, h('span', { class: 'share', style: `width:${Math.max(2, share * 0.8).toFixed(1)}px` }), `${share.toFixed(1)}%`),
              finished ? h('td', { 'data-label': 'Action' }, retryButton) : null,
            );
          }),
        ),
      ),
    );
  }

  /** The failed items, a page at a time; cursors of the pages seen so far allow going back. */
  const failures = {
    index: 0,
    cursors: [undefined] as (string | undefined)[],
    async load(index: number) {
      let list: FailureList;
      try {
        list = await page.client.listFailures(id, { limit: FAILURES_PAGE, cursor: this.cursors[index] });
      } catch (error) {
        page.reportError(error);
        return;
      }
      if (stopped) return;
      this.index = index;
      this.cursors[index + 1] = list.nextCursor ?? undefined;
      this.cursors.length = index + 2;
      const first = index * FAILURES_PAGE;
      // a cursor after the last failure leads to an empty page: not worth a button
      const more = list.nextCursor !== null && first + list.failures.length < (job?.failed ?? Infinity);
      replaceChildren(slots.failures, failureTable(list.failures, first, more));
    },
  };

  function failureTable(items: Failure[], first: number, hasNext: boolean) {
    if (!items.length && first === 0) return h('p', { class: 'muted' }, 'No failed items.');
    const total = job?.failed ?? items.length;
    const pager = h(
      'div',
      { class: 'pager' },
      h('span', { 'aria-live': 'polite' }, `Items ${formatCount(first + 1)}–${formatCount(first + items.length)} of ${formatCount(total)}`),
      h('button', { type: 'button', class: 'button button--small', disabled: failures.index === 0, onclick: () => void failures.load(failures.index - 1) }, '← Previous'),
      h('button', { type: 'button', class: 'button button--small', disabled: !hasNext, onclick: () => void failures.load(failures.index + 1) }, 'Next →'),
    );
    const sku = (item: unknown) => {
      const value = (item as { sku?: unknown } | null)?.sku;
      return typeof value === 'string' ? h('code', {}, value) : h('span', { class: 'muted' }, '–');
    };
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'stack failures', 'aria-labelledby': 'failures-title' },
        h(
          'thead',
          {},
          h('tr', {}, ['Item #', 'Line', 'SKU', 'Reason', 'Attempts'].map((name) => h('th', { scope: 'col' }, name))),
        ),
        h(
          'tbody',
          {},
          items.map((failure) =>
            h(
              'tr',
              { 'data-index': failure.index },
              h('td', { 'data-label': 'Item #', class: 'num' }, formatCount(failure.index)),
              h('td', { 'data-label': 'Line', class: 'num' }, failure.line ? formatCount(failure.line) : '–'),
              h('td', { 'data-label': 'SKU' }, sku(failure.item)),
              h('td', { 'data-label': 'Reason', class: 'reason' }, failure.reason),
              h('td', { 'data-label': 'Attempts', class: 'num' }, failure.attempts ? formatCount(failure.attempts) : '–'),
            ),
          ),
        ),
      ),
      pager,
    );
  }

  const poller = new Poller(
    async () => {
      let fresh: Job;
      try {
        fresh = await page.client.getJob(id);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          replaceChildren(section, h('a', { class: 'back', href: '#/' }, '← All jobs'), h('h1', { tabindex: '-1' }, 'Job not found'), h('p', {}, `There is no job ${id} for this API key.`));
          poller.stop();
          return 0;
        }
        throw error;
      }
      page.connected();
      return update(fresh) ? ACTIVE_POLL_MS : FINISHED_POLL_MS;
    },
    (error) => page.reportError(error),
  );
  poller.start();

  return {
    title: `Job ${shortId(id)}`,
    stop() {
      stopped = true;
      poller.stop();
      section.hidden = true;
      section.replaceChildren();
    },
  };
}
