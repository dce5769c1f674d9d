import type { Deps } from '../deps';
import { createHash, randomUUID } from 'node:crypto';
import { AppError, badRequest } from '../shared/errors';
import { chunkOptions } from '../planning/plan-job';
import { chunkItems, countChunks } from './chunk';
import type { ExportFormat } from './job';
import { callbackUrlProblem } from '../notifications/callback-url';
import type { FinishDeps } from '../notifications/notify-finished';
import { failJob, jobFinished, markRunning, MOVES } from './lifecycle';
import { activeSecrets } from '../webhooks/tenant-settings';
import type { Job, JobSource, JobType } from './job';
import { inputKey } from './job-input';
import { reserveTenantCapacity } from '../tenants/tenant-limits';

export type CreateJobDeps = Pick<
  Deps,
  'jobs' | 'dispatcher' | 'files' | 'keys' | 'chunkSize' | 'allowLocalCallbacks' | 'now' | 'tenantUsage' | 'tenantLimits' | keyof FinishDeps
> & { newId?: () => string };

/** A validated create request (see job-schemas.ts): exactly one of items, source, select. */
export interface CreateJobInput {
  type: JobType;
  items?: unknown[];
  source?: { uploadId: string };
  select?: { all?: true; missing?: string[] };
  dryRun?: boolean;
  format?: ExportFormat;
  maxFailurePercent?: number;
  callbackUrl?: string;
}

/**
 * Creates a job and starts it: inline items are chunked and sent now; an
 * upload or a selection is handed to the planner, which streams it.
 */
export async function createJob(
  deps: CreateJobDeps,
  tenantId: string,
  input: CreateJobInput,
  idempotencyKey?: string,
): Promise<{ job: Job; created: boolean }> {
  const source = await resolveSource(deps, tenantId, input);
  const job = newJob(deps, tenantId, input.type, source, {
    chunkSize: deps.chunkSize,
    dryRun: input.dryRun,
    format: input.type === 'export' ? (input.format ?? 'csv') : undefined,
    maxFailurePercent: input.maxFailurePercent,
    total: input.items?.length,
    chunkCount: input.items?.length ? countChunks(input.items, deps.chunkSize) : 0,
    callbackUrl: await resolveCallbackUrl(deps, tenantId, input.callbackUrl),
  });
  const idempotency = idempotencyKey ? { key: idempotencyKey, requestHash: hashRequest(input) } : undefined;
  return startJob(deps, job, input.items, idempotency);
}

async function resolveSource(deps: CreateJobDeps, tenantId: string, input: CreateJobInput): Promise<JobSource> {
  if (input.items) return { kind: 'items' };
  if (input.select) return { kind: 'select', ...input.select };
  const uploadId = input.source!.uploadId;
  const upload = await deps.jobs.getUpload(uploadId);
  // Another tenant's upload is as unknown as a missing one.
  if (!upload || upload.tenantId !== tenantId) throw badRequest(`source.uploadId: upload ${uploadId} does not exist or has expired`);
  if ((await deps.files.size(upload.key)) === undefined) {
    throw badRequest(`source.uploadId: nothing was uploaded yet; PUT the file to the upload's URL first`);
  }
  return { kind: 'upload', uploadId, format: upload.format };
}

/** The job's callback: the one given, else the tenant's default; it needs a signing secret. */
async function resolveCallbackUrl(deps: CreateJobDeps, tenantId: string, given?: string): Promise<string | undefined> {
  const settings = await deps.keys.settings(tenantId);
  const url = given ?? settings?.callbackUrl;
  if (!url) return undefined;
  const problem = callbackUrlProblem(url, deps.allowLocalCallbacks);
  if (problem) throw badRequest(`callbackUrl: ${problem}`);
  if (activeSecrets(settings, new Date()).length === 0) {
    throw badRequest('callbackUrl: callbacks are signed, and this tenant has no webhook signing secret yet');
  }
  return url;
}

/** Every job's result shows its counters from the start, zeros included. */
const RESULT_COUNTERS: Record<JobType, Record<string, number>> = {
  import: { created: 0, updated: 0, unchanged: 0 },
  enrichment: { enriched: 0, unchanged: 0 },
  export: { rows: 0 },
};

/** A new job record; a job whose items the planner will read starts in planning. */
export function newJob(
  deps: Pick<CreateJobDeps, 'chunkSize' | 'now' | 'newId'>,
  tenantId: string,
  type: JobType,
  source: JobSource,
  options: {
    chunkSize?: number;
    dryRun?: boolean;
    format?: ExportFormat;
    maxFailurePercent?: number;
    total?: number;
    retryOf?: string;
    callbackUrl?: string;
    chunkCount?: number;
  },
): Job {
  const now = (deps.now?.() ?? new Date()).toISOString();
  const planned = source.kind !== 'items';
  const total = options.total ?? 0;
  const done = !planned && total === 0;
  return {
    id: deps.newId?.() ?? randomUUID(),
    tenantId,
    type,
    status: done ? 'completed' : 'queued',
    total,
    processed: 0,
    failed: 0,
    chunkCount: options.chunkCount ?? 0,
    chunkSize: options.chunkSize ?? deps.chunkSize,
    createdAt: now,
    updatedAt: now,
    source,
    result: { ...RESULT_COUNTERS[type] },
    ...(done ? { completedAt: now } : {}),
    ...(planned ? { planning: true } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.format ? { format: options.format } : {}),
    ...(options.maxFailurePercent !== undefined ? { maxFailurePercent: options.maxFailurePercent } : {}),
    ...(options.retryOf ? { retryOf: options.retryOf } : {}),
    ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
  };
}

/**
 * Stores a job and dispatches it. Inline items are stored first (the job's
 * durable input), so whatever happens to its queue messages, the sweeper can
 * re-send the chunks that never committed. A repeat with the same
 * idempotency key returns the job it created and sends nothing again: a job
 * whose dispatch never finished is re-driven by the sweeper.
 */
export async function startJob(
  deps: CreateJobDeps,
  fresh: Job,
  items: unknown[] | undefined,
  idempotency?: { key: string; requestHash: string },
): Promise<{ job: Job; created: boolean }> {
  // A repeat finds its job before anything is reserved, stored or sent.
  const earlier = idempotency && (await deps.jobs.findByIdempotencyKey(fresh.tenantId, idempotency.key));
  const stored = earlier
    ? { ...earlier, created: false }
    : await reserveTenantCapacity(deps, fresh).then(async () => {
        if (items?.length) await deps.files.write(inputKey(fresh), JSON.stringify(items), 'application/json');
        return deps.jobs.create(fresh, idempotency);
      });
  if (!stored.created && idempotency && stored.requestHash !== idempotency.requestHash) {
    throw new AppError('conflict', 'Idempotency-Key was already used with a different request body', 409);
  }
  let job = stored.job;
  if (!stored.created) return { job, created: false };
  deps.events.jobCreated(job);
  if (job.status === 'completed') await jobFinished(deps, job);
  if (job.status !== 'queued') return { job, created: true };
  try {
    if (job.planning) {
      await deps.dispatcher.requestTask({ kind: 'plan', jobId: job.id });
      return { job, created: true };
    }
    await deps.dispatcher.send(chunkItems({ jobId: job.id, tenantId: job.tenantId, type: job.type, options: chunkOptions(job) }, items ?? [], job.chunkSize ?? deps.chunkSize));
  } catch (error) {
    const cause = (error as Error).message;
    // With a key the client can come back for the job, which the sweeper
    // dispatches once SQS takes messages again; without one nobody would
    // know it exists, so it fails now rather than run unannounced later.
    if (!idempotency) {
      await failJob(deps, job.id, `could not queue the job's work: ${cause}`, MOVES.run.from);
    }
    throw new AppError(
      'unavailable',
      idempotency
        ? `job ${job.id} was created but its work could not be queued yet; it will be retried automatically, and the same Idempotency-Key returns it (${cause})`
        : `job ${job.id} failed: its work could not be queued (${cause}); send the request again`,
      503,
    );
  }
  await markRunning(deps, job.id);
  job = (await deps.jobs.get(job.id)) ?? job;
  return { job, created: true };
}

/** Fingerprint of a request, to refuse an idempotency key reused for different input. */
export function hashRequest(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}
