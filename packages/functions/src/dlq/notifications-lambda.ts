import { awsDeps } from '@merchantops/aws/deps';
import { withRequestId } from '../shared/sqs-batch';
import { createNotificationsDeadLetterHandler } from './dead-tasks';

/** Lambda entry of the notifications dead-letter queue's consumer. */
export const handler = withRequestId(createNotificationsDeadLetterHandler(awsDeps()));
