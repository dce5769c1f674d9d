import type { Deps } from '@merchantops/core/deps';
import { errorText } from '@merchantops/core/shared/errors';
import { deliverNotification } from '@merchantops/core/notifications/deliver-notification';
import { notifyMessage } from '@merchantops/core/jobs/messages';
import { log } from '../shared/log';
import { sqsBatch } from '../shared/sqs-batch';

/** Notifications queue consumer: one delivery attempt per message, all of a batch at once. */
export const createNotifierHandler = (deps: Deps) =>
  sqsBatch(async (record) => {
    let jobId: string | undefined;
    try {
      jobId = notifyMessage.decode(record.body);
      const outcome = await deliverNotification(deps, jobId);
      log('info', `callback ${outcome}`, { jobId });
    } catch (error) {
      log('warn', 'callback attempt could not be recorded; it will be retried', { jobId, error: errorText(error) });
      throw error;
    }
  });
