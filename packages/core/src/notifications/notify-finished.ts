import type { Deps } from '../deps';
import { randomUUID } from 'node:crypto';
import type { Job } from '../jobs/job';
import { isFinished } from '../jobs/status';

/** What reporting a job's finish needs. */
export type FinishDeps = Pick<Deps, 'events' | 'notifications' | 'dispatcher'>;

/** Opens the job's notification once and queues its first attempt; repeats are harmless. */
export async function ensureCallbackQueued(deps: Omit<FinishDeps, 'events'>, job: Job): Promise<void> {
  if (!job.callbackUrl || !isFinished(job.status)) return;
  const record = await deps.notifications.open({
    jobId: job.id,
    tenantId: job.tenantId,
    deliveryId: randomUUID(),
    event: `job.${job.status}`,
    url: job.callbackUrl,
    state: 'pending',
    attempts: [],
    createdAt: new Date().toISOString(),
  });
  if (record.queued || record.state !== 'pending') return;
  await deps.dispatcher.requestNotification(job.id, 0);
  await deps.notifications.markQueued(job.id);
}
