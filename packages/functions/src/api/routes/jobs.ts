import { Hono, type Context } from 'hono';
import { createJob } from '@merchantops/core/jobs/create-job';
import { cancelJob, retryJob } from '@merchantops/core/jobs/job-actions';
import { writeFailuresFile } from '@merchantops/core/jobs/failures-file';
import { exportFileKey } from '@merchantops/core/exports/export-format';
import {
  createJobBodySchema,
  idempotencyKeySchema,
  listFailuresQuerySchema,
  listJobsQuerySchema,
  retryBodySchema,
} from '@merchantops/core/jobs/job-schemas';
import type { Job } from '@merchantops/core/jobs/job';
import { jobView } from '@merchantops/core/jobs/progress';
import { AppError, notFound } from '@merchantops/core/shared/errors';
import type { Deps } from '@merchantops/core/deps';
import type { AuthEnv } from '../auth';
import { parseWith, readJson } from '../read-json';
import { checkSize } from '../check-size';

/** Download links are short-lived: long enough to start a download, no longer. */
const DOWNLOAD_URL_SECONDS = 15 * 60;

export function jobRoutes(deps: Deps) {
  const routes = new Hono<AuthEnv>();

  /** Another tenant's job is indistinguishable from a missing one. */
  const findJob = async (c: Context<AuthEnv>): Promise<Job> => {
    const id = c.req.param('id') ?? '';
    const job = UUID.test(id) ? await deps.jobs.get(id) : undefined;
    if (!job || job.tenantId !== c.get('tenantId')) throw notFound(`job ${id} not found`);
    return job;
  };

  const idempotencyKey = (c: Context<AuthEnv>) => {
    const header = c.req.header('idempotency-key');
    return header === undefined ? undefined : parseWith(idempotencyKeySchema, header, 'Idempotency-Key');
  };

  const accepted = (c: Context<AuthEnv>, result: { job: Job; created: boolean }) => {
    c.header('Location', `/v1/jobs/${result.job.id}`);
    return c.json(jobView(result.job), result.created ? 202 : 200);
  };

  routes.post('/', async (c) => {
    const body = await readJson(c);
    checkSize((body as { items?: unknown })?.items, 'items');
    const input = parseWith(createJobBodySchema, body, 'body');
    return accepted(c, await createJob(deps, c.get('tenantId'), input, idempotencyKey(c)));
  });

  routes.get('/', async (c) => {
    const query = parseWith(listJobsQuerySchema, c.req.query(), 'query');
    const page = await deps.jobs.list(
      c.get('tenantId'),
      { type: query.type, status: query.status },
      query.limit,
      query.cursor,
    );
    return c.json({ jobs: page.items.map(jobView), nextCursor: page.nextCursor });
  });

  routes.get('/:id', async (c) => c.json(jobView(await findJob(c))));

  routes.get('/:id/failures', async (c) => {
    const job = await findJob(c);
    const query = parseWith(listFailuresQuerySchema, c.req.query(), 'query');
    if (query.format === 'csv') {
      const file = await writeFailuresFile(deps, job);
      return c.redirect(await deps.files.downloadUrl(file.key, file.filename, DOWNLOAD_URL_SECONDS), 302);
    }
    const page = await deps.jobs.listFailures(job.id, query.limit, query.cursor);
    return c.json({ failures: page.items, nextCursor: page.nextCursor });
  });

  routes.get('/:id/result', async (c) => {
    const job = await findJob(c);
    if (job.type !== 'export' || job.dryRun) throw new AppError('not_found', `job ${job.id} has no result file: only export jobs do`, 404);
    if (job.status !== 'completed') {
      throw new AppError('conflict', `job ${job.id} is ${job.status}: its file is ready once it has completed`, 409);
    }
    const format = job.format ?? 'csv';
    const url = await deps.files.downloadUrl(exportFileKey(job.tenantId, job.id, format), `export-${job.id}.${format}`, DOWNLOAD_URL_SECONDS);
    return c.redirect(url, 302);
  });

  routes.get('/:id/notifications', async (c) => {
    const job = await findJob(c);
    const record = await deps.notifications.get(job.id);
    return c.json({
      notifications: record
        ? [{ deliveryId: record.deliveryId, event: record.event, url: record.url, state: record.state, attempts: record.attempts }]
        : [],
    });
  });

  routes.post('/:id/cancel', async (c) => c.json(jobView(await cancelJob(deps, await findJob(c)))));

  routes.post('/:id/retry', async (c) => {
    const job = await findJob(c);
    // The body is optional: no body retries every failed item.
    const hasBody = (await c.req.text()).trim() !== '';
    const body = hasBody ? parseWith(retryBodySchema, await readJson(c), 'body') : {};
    return accepted(c, await retryJob(deps, job, body.reason, idempotencyKey(c)));
  });

  return routes;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

