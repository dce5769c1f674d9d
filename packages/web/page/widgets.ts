import { outcomeOf, type Job } from '@merchantops/client/client';
import { isFinished } from '@merchantops/core/jobs/status';
import { formatCount, formatPercent } from '@merchantops/client/progress-meter';
import { h } from './dom';

export const shortId = (id: string) => id.slice(0, 8);

const TYPE_NAMES: Record<Job['type'], string> = { import: 'Import', enrichment: 'Enrichment', export: 'Export' };
export const typeName = (type: Job['type']) => TYPE_NAMES[type];
export const jobName = (job: Pick<Job, 'type' | 'id'>) => `${typeName(job.type)} job ${shortId(job.id)}`;

/** The status as words, with "completed with failures" its own state. */
export function statusText(job: Job): string {
  switch (job.status) {
    case 'completed':
      return job.failed > 0 ? 'Completed with failures' : 'Completed';
    case 'queued':
      if (job.stalled) return 'Queued · stalled, retrying';
      return job.waiting ? 'Queued · waiting for its fair share' : 'Queued';
    case 'running':
      if (job.stalled) return 'Running · stalled, retrying';
      if (job.waiting) return 'Running · waiting for its fair share';
      return job.planning ? 'Running · reading items' : 'Running';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return 'Failed';
  }
}

const ICONS: Record<string, string> = {
  queued: '◷',
  running: '↻',
  completed: '✓',
  'with-failures': '⚠',
  stalled: '⚠',
  cancelled: '⊘',
  failed: '✕',
};

export function statusBadge(job: Job) {
  const kind = outcomeOf(job) === 'with-failures' ? 'with-failures' : job.stalled && !isFinished(job.status) ? 'stalled' : job.status;
  return h(
    'span',
    { class: `badge badge--${kind}`, 'data-status': kind },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, ICONS[kind]),
    statusText(job),
  );
}

/**
 * role="progressbar" with aria-valuenow/min/max (and a valuetext with the
 * counts); a job whose items are still being counted is indeterminate.
 */
export function progressBar(job: Job, options: { large?: boolean } = {}) {
  const counting = job.total === null;
  const total = job.total ?? 0;
  const okShare = total > 0 ? ((job.processed - job.failed) / total) * 100 : counting ? 0 : 100;
  const failedShare = total > 0 ? (job.failed / total) * 100 : 0;
  const valueText = counting
    ? `counting items, ${formatCount(job.processed)} processed`
    : `${formatPercent(job.progress)}: ${formatCount(job.processed)} of ${formatCount(total)} processed, ${formatCount(job.failed)} failed`;
  const done = job.progress >= 100 && !counting;
  return h(
    'div',
    { class: `progress${options.large ? ' progress--large' : ''}` },
    h(
      'div',
      {
        class: `bar${done ? ' bar--done' : ''}${counting ? ' bar--indeterminate' : ''}`,
        role: 'progressbar',
        'aria-label': `Progress of ${jobName(job)}`,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': counting ? null : job.progress,
        'aria-valuetext': valueText,
      },
      h('span', { class: 'bar-ok', style: `width:${okShare.toFixed(2)}%` }),
      h('span', { class: 'bar-failed', style: `width:${failedShare.toFixed(2)}%` }),
    ),
    h('span', { class: 'pct', 'aria-hidden': 'true' }, counting ? '…' : formatPercent(job.progress)),
  );
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** <time> with the exact time as its title: today's times as hh:mm:ss, older ones with the date. */
export function timeElement(iso: string | null) {
  if (!iso) return h('span', { class: 'muted' }, '–');
  const date = new Date(iso);
  return h('time', { datetime: iso, title: full.format(date) }, sameDay(date, new Date()) ? timeOnly.format(date) : dateTime.format(date));
}
