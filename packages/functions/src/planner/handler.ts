import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Deps } from '@merchantops/core/deps';
import { errorText } from '@merchantops/core/jobs/process-chunk';
import { decodePlanRequest } from '@merchantops/core/jobs/plan-request';
import { failJob, planJob } from '@merchantops/core/planning/plan-job';
import { plansQueue } from '@merchantops/core/resources/queues';
import { log } from '../shared/log';
import { receiveCount } from '../worker/handler';

/**
 * Plans queue consumer: reads a job's source and dispatches its chunks. A
 * plan that keeps failing for a passing reason is retried by SQS; on its last
 * delivery the job is failed with the error, so no job waits forever.
 */
export const createPlannerHandler = (deps: Deps) => async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    let jobId: string | undefined;
    try {
      jobId = decodePlanRequest(record.body);
      const outcome = await planJob(deps, jobId);
      log('info', `plan ${outcome}`, { jobId, messageId: record.messageId });
    } catch (error) {
      const attempts = receiveCount(record);
      log('warn', 'plan failed', { jobId, messageId: record.messageId, attempts, error: errorText(error) });
      if (jobId && attempts >= plansQueue.maxReceiveCount) {
        await failJob(deps, jobId, `planning failed after ${attempts} attempts: ${errorText(error)}`);
      } else {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
  }
  return { batchItemFailures: failures };
};
