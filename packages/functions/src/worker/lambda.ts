import { awsDeps } from '@merchantops/aws/deps';
import { jobTelemetry } from '../shared/job-metrics';
import { createWorkerHandler } from './handler';

/** Lambda entry: (event, context); the context gives every log line its request id. */
export const handler = createWorkerHandler({ ...awsDeps(), events: jobTelemetry() });
