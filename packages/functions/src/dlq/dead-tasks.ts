import type { SQSRecord } from 'aws-lambda';
import type { Deps } from '@merchantops/core/deps';
import { errorText } from '@merchantops/core/shared/errors';
import { notifyMessage, taskMessage } from '@merchantops/core/jobs/messages';
import { failJob } from '@merchantops/core/jobs/lifecycle';
import { notificationsQueue, plansQueue } from '@merchantops/core/resources/queues';
import { log } from '../shared/log';
import { sqsBatch } from '../shared/sqs-batch';

/**
 * Dead-letter consumers of the plans and notifications queues. A message
 * lands there when its consumer never returned for it (a timeout or a crash
 * on every delivery), so nobody recorded why: these handlers end what it was
 * about, with that reason, so that no job and no callback waits for ever.
 * A message that is not ours is logged and dropped (it can never succeed).
 */
function deadLetterHandler(what: string, end: (record: SQSRecord) => Promise<string>, giveUpAfter = 5) {
  return sqsBatch(
    async (record) => {
      try {
        const outcome = await end(record);
        log('warn', `${what} dead-lettered: ${outcome}`);
      } catch (error) {
        if (error instanceof UnknownMessage) {
          log('error', `${what} dead letter is not a message of ours; dropped`);
          return;
        }
        log('warn', `${what} dead letter could not be handled`, { error: errorText(error) });
        throw error;
      }
    },
    { sequential: true, giveUpAfter },
  );
}

class UnknownMessage extends Error {}

/** A plan, finalize or re-drive task that never finished: its job fails, saying so. */
export const createPlansDeadLetterHandler = (deps: Deps) =>
  deadLetterHandler('plan task', async (record) => {
    let task;
    try {
      task = taskMessage.decode(record.body);
    } catch {
      throw new UnknownMessage();
    }
    const reason = `the ${task.kind} step never finished after ${plansQueue.maxReceiveCount} attempts (timed out or crashed)`;
    await failJob(deps, task.jobId, reason);
    return `job ${task.jobId} failed`;
  });

/** A callback attempt that never finished: the callback is given up, with that reason. */
export const createNotificationsDeadLetterHandler = (deps: Deps) =>
  deadLetterHandler('callback attempt', async (record) => {
    let jobId: string;
    try {
      jobId = notifyMessage.decode(record.body);
    } catch {
      throw new UnknownMessage();
    }
    const claimed = await deps.notifications.claim(jobId, 60);
    if (!claimed) return `callback of job ${jobId} had already ended`;
    const attempt = {
      at: deps.now().toISOString(),
      error: `gave up: the notifier never finished after ${notificationsQueue.maxReceiveCount} deliveries`,
      durationMs: 0,
    };
    await deps.notifications.recordAttempt(jobId, attempt, 'failed');
    return `callback of job ${jobId} given up`;
  });
