import { awsDeps } from '@merchantops/aws/deps';
import { jobTelemetry } from '../shared/job-metrics';
import { createPlannerHandler } from './handler';

/** Lambda entry: (event, context); the context gives every log line its request id. */
export const handler = createPlannerHandler({ ...awsDeps(), events: jobTelemetry() });
