import { Hono } from 'hono';
import { createJob } from '@merchantops/core/jobs/create-job';
import {
  createJobBodySchema,
  idempotencyKeySchema,
  listFailuresQuerySchema,
  listJobsQuerySchema,
  MAX_ITEM_BYTES,
  MAX_ITEMS_PER_REQUEST,
} from '@merchantops/core/jobs/job-schemas';
import type { Job } from '@merchantops/core/jobs/job';
import { jobView } from '@merchantops/core/jobs/progress';
import { notFound, tooLarge } from '@merchantops/core/shared/errors';
import type { Deps } from '@merchantops/core/deps';
import type { AuthEnv } from '../auth';
import { parseWith, readJson } from '../read-json';

export function jobRoutes(deps: Deps) {
  const routes = new Hono<AuthEnv>();

  /** Another tenant's job is indistinguishable from a missing one. */
  const findJob = async (tenantId: string, id: string): Promise<Job> => {
    const job = UUID.test(id) ? await deps.jobs.get(id) : undefined;
    if (!job || job.tenantId !== tenantId) throw notFound(`job ${id} not found`);
    return job;
  };

  routes.post('/', async (c) => {
    const body = await readJson(c);
    checkSize(body);
    const input = parseWith(createJobBodySchema, body, 'body');
    const keyHeader = c.req.header('idempotency-key');
    const key = keyHeader === undefined ? undefined : parseWith(idempotencyKeySchema, keyHeader, 'Idempotency-Key');
    const { job, created } = await createJob(deps, c.get('tenantId'), input, key);
    c.header('Location', `/v1/jobs/${job.id}`);
    return c.json(jobView(job), created ? 202 : 200);
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

  routes.get('/:id', async (c) => c.json(jobView(await findJob(c.get('tenantId'), c.req.param('id')))));

  routes.get('/:id/failures', async (c) => {
    const job = await findJob(c.get('tenantId'), c.req.param('id'));
    const query = parseWith(listFailuresQuerySchema, c.req.query(), 'query');
    const page = await deps.jobs.listFailures(job.id, query.limit, query.cursor);
    return c.json({ failures: page.items, nextCursor: page.nextCursor });
  });

  return routes;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Size limits are 413s, checked before any other rule so the answer names the real problem. */
function checkSize(body: unknown) {
  const items = (body as { items?: unknown })?.items;
  if (!Array.isArray(items)) return;
  if (items.length > MAX_ITEMS_PER_REQUEST) {
    throw tooLarge(
      `items: at most ${MAX_ITEMS_PER_REQUEST} items per request (got ${items.length}); split the batch into several jobs`,
    );
  }
  const big = items.findIndex((item) => Buffer.byteLength(JSON.stringify(item) ?? '') > MAX_ITEM_BYTES);
  if (big >= 0) throw tooLarge(`items.${big}: an item may be at most ${MAX_ITEM_BYTES / 1024} KiB of JSON`);
}
