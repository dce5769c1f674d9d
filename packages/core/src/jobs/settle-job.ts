import { finalizeExport } from '../exports/finalize-export';
import { jobFinished, type FinishDeps } from '../notifications/notify-finished';
import type { FileStore, JobStore } from '../ports';
import { failureThresholdBreach } from './failure-threshold';
import { isFinished } from './status';

export interface SettleDeps extends FinishDeps {
  jobs: JobStore;
  files: FileStore;
}

/**
 * Decides, after any change to a job's counters, whether the job is done:
 * failed when its failure rate passed `maxFailurePercent`, completed when
 * every item has finished (an export's file is joined first). Each decision
 * is a conditional write, so however many callers race, one wins and only
 * that one reports the finish. Safe to call any number of times.
 */
export async function settleJob(deps: SettleDeps, jobId: string): Promise<void> {
  const job = await deps.jobs.get(jobId);
  if (!job || isFinished(job.status) || job.planning) return;

  const breach = failureThresholdBreach(job);
  if (breach) {
    const failed = await deps.jobs.transition(job.id, ['queued', 'running'], 'failed', breach);
    if (failed) await jobFinished(deps, failed);
    return;
  }
  if (job.processed < job.total) return;
  const result = job.type === 'export' && !job.dryRun ? await finalizeExport(deps.files, job) : undefined;
  const completed = await deps.jobs.complete(job.id, result);
  if (completed) await jobFinished(deps, completed);
}
