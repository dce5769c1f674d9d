import type { Deps } from '../deps';
import type { Job } from './job';
import type { FinishDeps } from '../notifications/notify-finished';
import { failJob } from './lifecycle';

/** How the sweeper judges jobs (resources/queues.ts `sweeper` has the deployed values). */
export interface SweeperSettings {
  /** A job with no progress for this long is stalled: it is marked and re-driven. */
  stallAfterSeconds: number;
  /** Re-drives without progress before the job fails as stalled. */
  maxRedrives: number;
}

export type SweepDeps = Pick<Deps, 'jobs' | 'dispatcher' | 'now' | keyof FinishDeps> & SweeperSettings;

export interface SweepReport {
  active: number;
  /** Chunks were on the items queue: jobs may be queued behind them, not stalled; nothing was done. */
  busy: boolean;
  stalled: Job[];
  failed: Job[];
}

/**
 * The safety net behind the queues: finds queued and running jobs that made
 * no progress for `stallAfterSeconds` while the items queue is empty (else
 * they may only be waiting their turn), marks them stalled and asks the
 * planner to re-drive them (send again the chunks that never committed, plan
 * again, or settle). A job that stays stuck through `maxRedrives` re-drives
 * fails, saying how many items never finished, so every job ends.
 * `everything` re-drives every active job at once: after a restart of the
 * local stack, whose emulator lost its queued messages.
 */
export async function sweep(deps: SweepDeps, options: { everything?: boolean } = {}): Promise<SweepReport> {
  const report: SweepReport = { active: 0, busy: false, stalled: [], failed: [] };
  // A job without progress while chunks are on the queue (waiting, or being worked) is most
  // likely waiting behind them: re-driving it would only add to the backlog, and failing it
  // would be wrong. Lost work is re-driven once the queue is empty.
  if (!options.everything && (await deps.dispatcher.waitingChunks()) > 0) return { ...report, busy: true };
  const cutoff = deps.now().getTime() - deps.stallAfterSeconds * 1000;
  let cursor: string | undefined;
  do {
    const page = await deps.jobs.listActive(100, cursor);
    for (const job of page.items) {
      report.active++;
      if (!options.everything && lastSign(job) > cutoff) continue;
      const redrives = (job.stalledRedrives ?? 0) + 1;
      if (redrives > deps.maxRedrives) {
        const failed = await failJob(deps, job.id, gaveUp(job));
        if (failed) report.failed.push(failed);
        continue;
      }
      const marked = await deps.jobs.markStalled(job.id, redrives);
      if (!marked) continue;
      report.stalled.push(marked);
      deps.events.jobStalled?.(marked);
      await deps.dispatcher.requestTask({ kind: 'redrive', jobId: job.id });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return report;
}

/** The last sign of life: a commit (updatedAt) or the last re-drive. */
const lastSign = (job: Job) => Math.max(Date.parse(job.updatedAt), job.redrivenAt ? Date.parse(job.redrivenAt) : 0);

function gaveUp(job: Job): string {
  const left = job.planning ? 'its input was never fully read' : `${job.total - job.processed} of ${job.total} items never finished`;
  return `stalled: no progress after ${job.stalledRedrives ?? 0} re-drives; ${left}`;
}
