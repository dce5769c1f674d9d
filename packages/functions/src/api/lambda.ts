import { handle } from 'hono/aws-lambda';
import { awsDeps } from '@merchantops/aws/deps';
import { jobTelemetry } from '../shared/job-metrics';
import { lambdaConfig } from '../shared/lambda-config';
import { createApi } from './app';

export const handler = handle(createApi({ ...awsDeps(lambdaConfig()), events: jobTelemetry() }));
