import type { Deps } from '../deps';
import type { Job, JobStatus } from './job';
import { ensureCallbackQueued, type FinishDeps } from '../notifications/notify-finished';

/**
 * Every status change a job can make, as data: the store's conditional
 * writes use these `from` states, so a move the table does not allow cannot
 * happen, and of racing callers exactly one makes it.
 *
 *   queued ─run─▶ running ─complete─▶ completed
 *      └────────────┴──────cancel──▶ cancelled
 *      └────────────┴──────fail────▶ failed
 */
export const MOVES = {
  run: { from: ['queued'], to: 'running' },
  complete: { from: ['queued', 'running'], to: 'completed' },
  cancel: { from: ['queued', 'running'], to: 'cancelled' },
  fail: { from: ['queued', 'running'], to: 'failed' },
} as const satisfies Record<string, { from: readonly JobStatus[]; to: JobStatus }>;

/** The statuses in which a job takes work: chunk commits are conditional on them. */
export const ACTIVE_STATUSES: readonly JobStatus[] = MOVES.complete.from;

export type LifecycleDeps = Pick<Deps, 'jobs' | keyof FinishDeps>;

/** queued → running, once the job's chunks are on their way; losing the race to a finish is fine. */
export const markRunning = (deps: Pick<LifecycleDeps, 'jobs'>, jobId: string) =>
  deps.jobs.transition(jobId, MOVES.run.from, MOVES.run.to);

/**
 * Fails a job with its reason, from any active status (or only from `from`);
 * the caller that moved it reports the finish.
 */
export async function failJob(
  deps: LifecycleDeps,
  jobId: string,
  reason: string,
  from: readonly JobStatus[] = MOVES.fail.from,
): Promise<Job | undefined> {
  return finishing(deps, await deps.jobs.transition(jobId, from, MOVES.fail.to, reason));
}

export async function cancelJob(deps: LifecycleDeps, jobId: string): Promise<Job | undefined> {
  return finishing(deps, await deps.jobs.transition(jobId, MOVES.cancel.from, MOVES.cancel.to));
}

/** Completes a job whose items have all finished (the store checks it), with its result. */
export async function completeJob(deps: LifecycleDeps, jobId: string, result?: Record<string, string | number>) {
  return finishing(deps, await deps.jobs.complete(jobId, result));
}

/**
 * The finish protocol, for the one caller that moved a job to a finished
 * status (a transition here, or a chunk commit that completed it): report it
 * and queue its callback.
 */
export async function jobFinished(deps: FinishDeps, job: Job): Promise<void> {
  deps.events.jobFinished(job);
  await ensureCallbackQueued(deps, job);
}

/**
 * Whoever sees a finished job again (a redelivered chunk, a repeated plan or
 * cancel) makes sure its callback was queued: the caller that finished it
 * may have died in between. Harmless to repeat.
 */
export const finishSeenAgain = (deps: Omit<FinishDeps, 'events'>, job: Job) => ensureCallbackQueued(deps, job);

async function finishing(deps: FinishDeps, moved: Job | undefined) {
  if (moved) await jobFinished(deps, moved);
  return moved;
}
