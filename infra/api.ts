/**
 * The HTTP API: one Lambda (the Hono app) behind an API Gateway HTTP API,
 * reached through the catch-all `$default` route so routing stays in Hono.
 */
import { functionEnvironment, itemsQueue } from './queues';
import { jobs, products } from './storage';

export const apiFunction = new sst.aws.Function('Api', {
  handler: 'packages/functions/src/api/lambda.handler',
  runtime: 'nodejs22.x',
  // API Gateway gives up after 30 s; the function should stop first.
  timeout: '29 seconds',
  memory: '512 MB',
  link: [jobs, products, itemsQueue],
  environment: functionEnvironment,
});

export const api = new sst.aws.ApiGatewayV2('HttpApi');
api.route('$default', apiFunction.arn);
