import { awsDeps } from '@merchantops/aws/deps';
import { jobTelemetry } from '../shared/job-metrics';
import { createPlansDeadLetterHandler } from './dead-tasks';

/** Lambda entry of the plans dead-letter queue's consumer. */
export const handler = createPlansDeadLetterHandler({ ...awsDeps(), events: jobTelemetry() });
