import { AppError, badRequest } from '../shared/errors';
import { hashRequest, newJob, startJob, type CreateJobDeps } from './create-job';
import type { Job } from './job';
import type { FinishDeps } from '../notifications/notify-finished';
import { cancelJob as cancel, finishSeenAgain } from './lifecycle';
import { isFinished } from './status';
import { reasonKey } from './chunk-record';

/**
 * Stops a queued or running job. Chunks not yet started are skipped by the
 * worker; chunks already running still commit, so the counters stay exact
 * for the work that did run.
 */
export async function cancelJob(deps: Pick<CreateJobDeps, 'jobs' | keyof FinishDeps>, job: Job): Promise<Job> {
  const cancelled = isFinished(job.status) ? undefined : await cancel(deps, job.id);
  if (!cancelled) {
    const now = (await deps.jobs.get(job.id)) ?? job;
    // A cancel that died before queueing the callback is repaired by the next one.
    await finishSeenAgain(deps, now);
    throw new AppError('conflict', `job ${job.id} has already finished (${now.status})`, 409);
  }
  return cancelled;
}

/**
 * A new job over the failed items of a finished job (optionally only those
 * with one reason), linked both ways: `retryOf` on the new job, `retries` on the old.
 */
export async function retryJob(
  deps: CreateJobDeps,
  original: Job,
  reason: string | undefined,
  idempotencyKey?: string,
): Promise<{ job: Job; created: boolean }> {
  if (!isFinished(original.status)) {
    throw new AppError('conflict', `job ${original.id} is still ${original.status}: retry it once it has finished`, 409);
  }
  if (original.failed === 0) throw new AppError('conflict', `job ${original.id} has no failed items to retry`, 409);
  // Own keys only: a reason such as "constructor" or "__proto__" must not find Object.prototype's.
  if (reason !== undefined && !Object.hasOwn(original.failureReasons ?? {}, reasonKey(reason))) {
    throw badRequest(`reason: job ${original.id} has no failed items with this reason`);
  }
  const job = newJob(deps, original.tenantId, original.type, { kind: 'retry', jobId: original.id, ...(reason ? { reason } : {}) }, {
    dryRun: original.dryRun,
    format: original.format,
    maxFailurePercent: original.maxFailurePercent,
    retryOf: original.id,
    callbackUrl: original.callbackUrl,
  });
  const idempotency = idempotencyKey ? { key: idempotencyKey, requestHash: hashRequest(['retry', original.id, reason]) } : undefined;
  return startJob(deps, job, undefined, idempotency);
}
