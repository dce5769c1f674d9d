import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { createJob } from '@merchantops/core/jobs/create-job';
import { cancelJob, retryJob } from '@merchantops/core/jobs/job-actions';
import { writeFailuresFile } from '@merchantops/core/jobs/failures-file';
import { exportFileKey } from '@merchantops/core/exports/export-format';
import { idempotencyKeySchema, listFailuresQuerySchema, listJobsQuerySchema } from '@merchantops/core/jobs/job-schemas';
import type { Job } from '@merchantops/core/jobs/job';
import { jobView } from '@merchantops/core/jobs/progress';
import { AppError, notFound } from '@merchantops/core/shared/errors';
import type { Deps } from '@merchantops/core/deps';
import type { AuthEnv } from '../auth';
import { readBody } from '../read-json';
import { described, download, errors, etagHeader, ifNoneMatch, json, jsonBody, notModified, openapi, requests, responses } from '../docs/openapi';

/** Download links are short-lived: long enough to start a download, no longer. */
const DOWNLOAD_URL_SECONDS = 15 * 60;

type JobEnv = { Variables: AuthEnv['Variables'] & { job: Job } };

const jobId = z.object({ id: z.string().openapi({ description: 'job id', format: 'uuid' }) });
const idempotencyKey = z.object({
  'Idempotency-Key': openapi(idempotencyKeySchema.optional(), {
    description: 'the same key again (same tenant, same body) returns the same job with 200 instead of creating another; remembered 24 hours',
  }),
});
const cursorNote = "the previous page's nextCursor";

const create = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createJob',
  summary: 'Create a job',
  description: [
    'Starts an import, enrichment or export job. Give exactly one of `items`, `source` (import of an upload) or `select` (enrichment and export of stored products).',
    'Checks run in this order: key (401), body size (413), content type (415), JSON (400), item count and size (413), fields (400). Bad input is rejected before anything is written.',
  ].join('\n\n'),
  tags: ['Jobs'],
  request: { headers: idempotencyKey, body: jsonBody(requests.CreateJobRequest) },
  responses: {
    202: json(responses.Job, 'created; Location names the job', { headers: { Location: { schema: { type: 'string' } } } }),
    200: json(responses.Job, 'the job already created with this Idempotency-Key'),
    ...errors(400, 401, 409, 413, 415, 503),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listJobs',
  summary: 'List jobs, newest first',
  description: 'With filters, a page may hold fewer than `limit` jobs while `nextCursor` is not null: follow the cursor until it is.',
  tags: ['Jobs'],
  request: {
    query: described(listJobsQuerySchema, {
      type: 'only jobs of this type',
      status: 'only jobs with this status',
      limit: 'page size',
      cursor: cursorNote,
    }),
    headers: z.object({ 'If-None-Match': ifNoneMatch }),
  },
  responses: {
    200: json(responses.JobList, 'a page of jobs', { headers: etagHeader }),
    304: notModified,
    ...errors(400, 401),
  },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getJob',
  summary: 'Read a job',
  tags: ['Jobs'],
  request: { params: jobId, headers: z.object({ 'If-None-Match': ifNoneMatch }) },
  responses: {
    200: json(responses.Job, 'the job', { headers: etagHeader }),
    304: notModified,
    ...errors(401, 404),
  },
});

const failures = createRoute({
  method: 'get',
  path: '/{id}/failures',
  operationId: 'listFailures',
  summary: 'The failed items of a job',
  description:
    'By item index. With `format=csv`, a redirect to a CSV file of every failed row (the original columns plus `_index`, `_reason`, `_attempts`), ready to fix and import again.',
  tags: ['Jobs'],
  request: {
    params: jobId,
    query: described(listFailuresQuerySchema, {
      limit: 'page size',
      cursor: cursorNote,
      format: 'json: a page of failures; csv: a redirect to the whole list as a file',
    }),
  },
  responses: {
    ...download('the failures CSV (format=csv)'),
    200: json(
      z.union([responses.FailureList, responses.DownloadLink]),
      'format=json: a page of failures. format=csv with Accept: application/json: the link to the file',
    ),
    ...errors(400, 401, 404),
  },
});

const result = createRoute({
  method: 'get',
  path: '/{id}/result',
  operationId: 'getJobResult',
  summary: 'Download the file of a completed export',
  tags: ['Jobs'],
  request: { params: jobId },
  responses: { ...download('the export file'), ...errors(401, 404, 409) },
});

const notifications = createRoute({
  method: 'get',
  path: '/{id}/notifications',
  operationId: 'listNotifications',
  summary: 'The completion callback of a job and its delivery attempts',
  tags: ['Jobs'],
  request: { params: jobId },
  responses: { 200: json(responses.NotificationList, 'empty when the job has no callbackUrl'), ...errors(401, 404) },
});

const cancel = createRoute({
  method: 'post',
  path: '/{id}/cancel',
  operationId: 'cancelJob',
  summary: 'Cancel a queued or running job',
  description: 'Chunks not yet started are skipped; chunks already running still commit, so the counters stay exact.',
  tags: ['Jobs'],
  request: { params: jobId },
  responses: { 200: json(responses.Job, 'the cancelled job'), ...errors(401, 404, 409) },
});

const retry = createRoute({
  method: 'post',
  path: '/{id}/retry',
  operationId: 'retryJob',
  summary: 'Retry the failed items of a finished job',
  description:
    'A new job over the failed items (optionally only those with one reason), linked both ways: `retryOf` on the new job, `retries` on the old one. The body is optional.',
  tags: ['Jobs'],
  request: { params: jobId, headers: idempotencyKey, body: jsonBody(requests.RetryRequest, false) },
  responses: {
    202: json(responses.Job, 'the new job'),
    200: json(responses.Job, 'the job already created with this Idempotency-Key'),
    ...errors(400, 401, 404, 409, 415),
  },
});

export function jobRoutes(deps: Deps) {
  const routes = new OpenAPIHono<JobEnv>();

  /**
   * Route middleware, first of all: the job of the path, or 404 before any other check.
   * Another tenant's job is indistinguishable from a missing one.
   */
  const loadJob: MiddlewareHandler<JobEnv> = async (c, next) => {
    const id = c.req.param('id') ?? '';
    const job = UUID.test(id) ? await deps.jobs.get(id) : undefined;
    if (!job || job.tenantId !== c.get('tenantId')) throw notFound(`job ${id} not found`);
    c.set('job', job);
    await next();
  };

  const accepted = (c: Context<JobEnv>, result: { job: Job; created: boolean }) => {
    c.header('Location', `/v1/jobs/${result.job.id}`);
    return result.created ? c.json(jobView(result.job), 202) : c.json(jobView(result.job), 200);
  };

  routes.openapi({ ...create, middleware: [readBody(create, 'items')] }, async (c) => {
    const key = c.req.valid('header')['Idempotency-Key'];
    return accepted(c, await createJob(deps, c.get('tenantId'), c.req.valid('json'), key));
  });

  routes.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const page = await deps.jobs.list(c.get('tenantId'), { type: query.type, status: query.status }, query.limit, query.cursor);
    return c.json({ jobs: page.items.map(jobView), nextCursor: page.nextCursor }, 200);
  });

  routes.openapi({ ...get, middleware: [loadJob] }, (c) => c.json(jobView(c.get('job')), 200));

  routes.openapi({ ...failures, middleware: [loadJob] }, async (c) => {
    const job = c.get('job');
    const query = c.req.valid('query');
    if (query.format === 'csv') {
      const file = await writeFailuresFile(deps, job);
      return c.redirect(await deps.files.downloadUrl(file.key, file.filename, DOWNLOAD_URL_SECONDS), 302);
    }
    const page = await deps.jobs.listFailures(job.id, query.limit, query.cursor);
    return c.json({ failures: page.items, nextCursor: page.nextCursor }, 200);
  });

  routes.openapi({ ...result, middleware: [loadJob] }, async (c) => {
    const job = c.get('job');
    if (job.type !== 'export' || job.dryRun) throw new AppError('not_found', `job ${job.id} has no result file: only export jobs do`, 404);
    if (job.status !== 'completed') {
      throw new AppError('conflict', `job ${job.id} is ${job.status}: its file is ready once it has completed`, 409);
    }
    const format = job.format ?? 'csv';
    const url = await deps.files.downloadUrl(exportFileKey(job.tenantId, job.id, format), `export-${job.id}.${format}`, DOWNLOAD_URL_SECONDS);
    return c.redirect(url, 302);
  });

  routes.openapi({ ...notifications, middleware: [loadJob] }, async (c) => {
    const record = await deps.notifications.get(c.get('job').id);
    return c.json(
      {
        notifications: record
          ? [{ deliveryId: record.deliveryId, event: record.event, url: record.url, state: record.state, attempts: record.attempts }]
          : [],
      },
      200,
    );
  });

  routes.openapi({ ...cancel, middleware: [loadJob] }, async (c) => c.json(jobView(await cancelJob(deps, c.get('job'))), 200));

  // The body is optional: no body retries every failed item.
  routes.openapi({ ...retry, middleware: [loadJob, readBody(retry)] }, async (c) => {
    const key = c.req.valid('header')['Idempotency-Key'];
    return accepted(c, await retryJob(deps, c.get('job'), c.req.valid('json').reason, key));
  });

  return routes;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
