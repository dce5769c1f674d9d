/**
 * The HTTP API: one Lambda (the Hono app) behind an API Gateway HTTP API,
 * reached through the catch-all `$default` route so routing stays in Hono.
 */
import { logging, runtime } from './function-defaults';
import { functionEnvironment, itemsQueue, notificationsQueue, plansQueue } from './queues';
import { files, jobs, products } from './storage';

/**
 * Jobs, keys, tenant settings and uploads (jobs table), products, chunks, plan
 * requests and callbacks (send), and the files bucket (presigned upload and
 * download URLs, failure files).
 */
export const apiFunction = new sst.aws.Function('Api', {
  handler: 'packages/functions/src/api/lambda.handler',
  description: 'HTTP API (Hono)',
  runtime,
  // API Gateway gives up after 30 s; the function should stop first.
  timeout: '29 seconds',
  memory: '512 MB',
  link: [jobs, products, itemsQueue, plansQueue, notificationsQueue, files],
  environment: functionEnvironment,
  logging,
});

export const api = new sst.aws.ApiGatewayV2('HttpApi');
api.route('$default', apiFunction.arn);
