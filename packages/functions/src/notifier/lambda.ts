import { awsDeps } from '@merchantops/aws/deps';
import { jobTelemetry } from '../shared/job-metrics';
import { lambdaConfig } from '../shared/lambda-config';
import { createNotifierHandler } from './handler';

/** Lambda entry: (event, context); the context gives every log line its request id. */
export const handler = createNotifierHandler({ ...awsDeps(lambdaConfig()), events: jobTelemetry() });
