import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Deps } from '@merchantops/core/deps';
import { errorText } from '@merchantops/core/shared/errors';
import { taskMessage } from '@merchantops/core/jobs/messages';
import { finalizeJob } from '@merchantops/core/jobs/settle-job';
import { planJob, redriveJob } from '@merchantops/core/planning/plan-job';
import { failJob } from '@merchantops/core/jobs/lifecycle';
import { plansQueue } from '@merchantops/core/resources/queues';
import { log } from '../shared/log';
import { receiveCount } from '../shared/sqs-batch';

/**
 * Plans queue consumer: plans a job (reads its source and dispatches its
 * chunks), finalizes it (joins an export's file and completes it) or
 * re-drives it (sends again the chunks that never committed). A task that
 * keeps failing for a passing reason is retried by SQS; on its last delivery
 * the job is failed with the error. A task that never returns (timeout, out
 * of memory) goes to the plans dead-letter queue, whose handler fails the job.
 */
export const createPlannerHandler = (deps: Deps) => async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    let jobId: string | undefined;
    try {
      const task = taskMessage.decode(record.body);
      jobId = task.jobId;
      const run = { plan: planJob, finalize: finalizeJob, redrive: redriveJob }[task.kind];
      const outcome = await run(deps, jobId);
      log('info', `${task.kind} ${outcome}`, { jobId, messageId: record.messageId });
    } catch (error) {
      const attempts = receiveCount(record);
      log('warn', 'plan failed', { jobId, messageId: record.messageId, attempts, error: errorText(error) });
      if (jobId && attempts >= plansQueue.maxReceiveCount) {
        await failJob(deps, jobId, `giving up after ${attempts} attempts: ${errorText(error)}`);
      } else {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
  }
  return { batchItemFailures: failures };
};
