import type { SQSEvent } from 'aws-lambda';
import { awsDeps } from '@merchantops/core/deps';
import { jobTelemetry } from '../shared/job-metrics';
import { withLogContext } from '../shared/log';
import type { InvocationContext } from '../shared/sqs-batch';
import { createNotifierHandler } from './handler';

const run = createNotifierHandler({ ...awsDeps(), events: jobTelemetry() });

/** Lambda entry: (event, context); the context gives every log line its request id. */
export const handler = (event: SQSEvent, context: InvocationContext) =>
  withLogContext({ requestId: context.awsRequestId }, () => run(event));
