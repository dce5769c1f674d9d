import type { Deps } from '../deps';
import { finalizeExport } from '../exports/finalize-export';
import type { FinishDeps } from '../notifications/notify-finished';
import { completeJob, failJob, finishSeenAgain } from './lifecycle';
import type { Job } from './job';
import { failureThresholdBreach } from './failure-threshold';
import { isFinished } from './status';

export type SettleDeps = Pick<Deps, 'jobs' | 'files' | keyof FinishDeps>;

/**
 * Decides, after any change to a job's counters, whether the job is done:
 * failed when its failure rate passed `maxFailurePercent`, completed when
 * every item has finished. An export's file is joined first, by the planner
 * (a long join would not fit a chunk worker's timeout). Each decision is a
 * conditional write, so however many callers race, one wins and only that
 * one reports the finish. Safe to call any number of times.
 */
export async function settleJob(deps: SettleDeps, jobId: string): Promise<void> {
  const job = await deps.jobs.get(jobId);
  if (!job || isFinished(job.status)) return;

  const breach = failureThresholdBreach(job);
  if (breach) {
    await failJob(deps, job.id, breach);
    return;
  }
  if (job.planning || job.processed < job.total) return;
  if (needsFinalize(job)) await deps.dispatcher.requestTask({ kind: 'finalize', jobId });
  else await completeJob(deps, job.id);
}

/** The planner's finalize task: joins the export's parts, then completes the job. */
export async function finalizeJob(deps: SettleDeps, jobId: string): Promise<'completed' | 'skipped'> {
  const job = await deps.jobs.get(jobId);
  if (job && isFinished(job.status)) await finishSeenAgain(deps, job);
  if (!job || isFinished(job.status) || job.planning || job.processed < job.total) return 'skipped';
  return (await completeJob(deps, job.id, needsFinalize(job) ? await finalizeExport(deps.files, job) : undefined)) ? 'completed' : 'skipped';
}

/** An export's file is joined by the finalize task before the job completes. */
export const needsFinalize = (job: Job) => job.type === 'export' && !job.dryRun;

