import { outcomeOf, type Job } from '@merchantops/client/client';
import { isFinished } from '@merchantops/core/jobs/status';

/** Words for jobs, shared by the list and the detail view. */

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

export type StatusKind = Job['status'] | 'with-failures' | 'stalled';

/** The badge's kind: a status, or "with-failures" / "stalled" that need the eye more. */
export function statusKind(job: Job): StatusKind {
  if (outcomeOf(job) === 'with-failures') return 'with-failures';
  return job.stalled && !isFinished(job.status) ? 'stalled' : job.status;
}
