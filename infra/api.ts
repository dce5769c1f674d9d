/**
 * The HTTP API: one Lambda (the Hono app) behind an API Gateway HTTP API,
 * reached through the catch-all `$default` route so routing stays in Hono.
 */
import { logging, runtime } from './function-defaults';
import { functionEnvironment, itemsQueue, notificationsQueue, plansQueue } from './queues';
import { webhookSecretsKey } from './secrets';
import { files, jobs, products } from './storage';

/**
 * Jobs, keys, tenant settings and uploads (jobs table), products, chunks, plan
 * requests and callbacks (send), the files bucket (presigned upload and
 * download URLs, failure files), and the key sealing webhook signing secrets.
 */
export const apiFunction = new sst.aws.Function('Api', {
  handler: 'packages/functions/src/api/lambda.handler',
  description: 'HTTP API (Hono)',
  runtime,
  // API Gateway gives up after 30 s; the function should stop first.
  timeout: '29 seconds',
  memory: '512 MB',
  link: [jobs, products, itemsQueue, plansQueue, notificationsQueue, files, webhookSecretsKey],
  environment: functionEnvironment,
  logging,
});

/**
 * API Gateway throttling for the whole stage (every route, every caller):
 * requests per second sustained, and the burst above it. A first line against
 * floods; the per-tenant limits on active jobs and items in flight are kept
 * by the application (packages/core/src/tenants/tenant-limits.ts), as HTTP
 * APIs have no per-key usage plans.
 */
export const API_THROTTLING = { rateLimit: 200, burstLimit: 400 };

export const api = new sst.aws.ApiGatewayV2('HttpApi', {
  transform: {
    stage: {
      defaultRouteSettings: {
        throttlingRateLimit: API_THROTTLING.rateLimit,
        throttlingBurstLimit: API_THROTTLING.burstLimit,
      },
    },
  },
});
api.route('$default', apiFunction.arn);
