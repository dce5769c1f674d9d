import { awsDeps } from '@merchantops/aws/deps';
import { jobTelemetry } from '../shared/job-metrics';
import { withRequestId } from '../shared/sqs-batch';
import { createPlannerHandler } from './handler';

/** Lambda entry: (event, context); the context gives every log line its request id. */
export const handler = withRequestId(createPlannerHandler({ ...awsDeps(), events: jobTelemetry() }));
