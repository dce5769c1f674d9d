import type { Deps } from '@merchantops/core/deps';
import { errorText } from '@merchantops/core/shared/errors';
import { taskMessage } from '@merchantops/core/jobs/messages';
import { finalizeJob } from '@merchantops/core/jobs/settle-job';
import { planJob, redriveJob } from '@merchantops/core/planning/plan-job';
import { failJob } from '@merchantops/core/jobs/lifecycle';
import { plansQueue } from '@merchantops/core/resources/queues';
import { log, withLogContext } from '../shared/log';
import { receiveCount, sqsBatch } from '../shared/sqs-batch';

/**
 * Plans queue consumer: plans a job (reads its source and dispatches its
 * chunks), finalizes it (joins an export's file and completes it) or
 * re-drives it (sends again the chunks that never committed). A task that
 * keeps failing for a passing reason is retried by SQS; on its last delivery
 * the job is failed with the error. A task that never returns (timeout, out
 * of memory) goes to the plans dead-letter queue, whose handler fails the job.
 * The tasks of a batch run one after the other.
 */
export const createPlannerHandler = (deps: Deps) =>
  sqsBatch(
    async (record) => {
      let jobId: string | undefined;
      try {
        const task = taskMessage.decode(record.body);
        jobId = task.jobId;
        const run = { plan: planJob, finalize: finalizeJob, redrive: redriveJob }[task.kind];
        const outcome = await withLogContext({ jobId }, () => run(deps, task.jobId));
        log('info', `${task.kind} ${outcome}`, { jobId });
      } catch (error) {
        const attempts = receiveCount(record);
        log('warn', 'plan failed', { jobId, attempts, error: errorText(error) });
        if (!jobId || attempts < plansQueue.maxReceiveCount) throw error;
        await failJob(deps, jobId, `giving up after ${attempts} attempts: ${errorText(error)}`);
      }
    },
    { sequential: true },
  );
