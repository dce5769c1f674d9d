import { finalizeExport } from '../exports/finalize-export';
import type { FileStore, JobStore } from '../ports';
import type { JobEvents } from './events';
import { failureThresholdBreach } from './failure-threshold';
import { isFinished } from './status';

export interface SettleDeps {
  jobs: JobStore;
  files: FileStore;
  events: JobEvents;
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
    if (failed) deps.events.jobFinished(failed);
    return;
  }
  if (job.processed < job.total) return;
  const result = job.type === 'export' && !job.dryRun ? await finalizeExport(deps.files, job) : undefined;
  const completed = await deps.jobs.complete(job.id, result);
  if (completed) deps.events.jobFinished(completed);
}
