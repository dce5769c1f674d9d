import { awsDeps } from '@merchantops/aws/deps';
import { createNotificationsDeadLetterHandler } from './dead-tasks';

/** Lambda entry of the notifications dead-letter queue's consumer. */
export const handler = createNotificationsDeadLetterHandler(awsDeps());
