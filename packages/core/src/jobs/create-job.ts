import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../shared/errors';
import type { Dispatcher, JobStore } from '../ports';
import { chunkItems } from './chunk';
import type { JobEvents } from './events';
import type { Job, JobType } from './job';

export interface CreateJobDeps {
  jobs: JobStore;
  dispatcher: Dispatcher;
  events: JobEvents;
  chunkSize: number;
  now?: () => Date;
  newId?: () => string;
}

export interface CreateJobInput {
  type: JobType;
  items: unknown[];
}

/**
 * Creates a job and fans its items out as chunks. Safe to call again with the
 * same idempotency key: the same job comes back, and if its dispatch never
 * finished (the first call died or SQS failed) it is dispatched again, which
 * cannot double count because chunk commits are idempotent.
 */
export async function createJob(
  deps: CreateJobDeps,
  tenantId: string,
  input: CreateJobInput,
  idempotencyKey?: string,
): Promise<{ job: Job; created: boolean }> {
  const now = (deps.now?.() ?? new Date()).toISOString();
  const total = input.items.length;
  const id = deps.newId?.() ?? randomUUID();
  const chunks = chunkItems({ jobId: id, tenantId, type: input.type }, input.items, deps.chunkSize);
  const fresh: Job = {
    id,
    tenantId,
    type: input.type,
    status: total === 0 ? 'completed' : 'queued',
    total,
    processed: 0,
    failed: 0,
    chunkCount: chunks.length,
    createdAt: now,
    updatedAt: now,
    ...(total === 0 ? { completedAt: now } : {}),
  };
  const idempotency = idempotencyKey ? { key: idempotencyKey, requestHash: hashRequest(input) } : undefined;
  const stored = await deps.jobs.create(fresh, idempotency);
  if (!stored.created && stored.requestHash !== idempotency?.requestHash) {
    throw new AppError('conflict', 'Idempotency-Key was already used with a different request body', 409);
  }
  let job = stored.job;
  if (stored.created) {
    deps.events.jobCreated(job);
    if (job.status === 'completed') deps.events.jobFinished(job);
  }
  if (job.status === 'queued') {
    const toSend = stored.created
      ? chunks
      : chunkItems({ jobId: job.id, tenantId, type: job.type }, input.items, deps.chunkSize);
    try {
      await deps.dispatcher.send(toSend);
    } catch (error) {
      const cause = (error as Error).message;
      // With a key the client can retry and the job stays queued for that; without
      // one nobody could, so the job fails now rather than sit queued forever.
      if (!idempotency) {
        const failed = await deps.jobs.transition(job.id, ['queued'], 'failed', `could not queue the job's items: ${cause}`);
        if (failed) deps.events.jobFinished(failed);
      }
      throw new AppError(
        'unavailable',
        idempotency
          ? `job ${job.id} was created but its items could not be queued; retry with the same Idempotency-Key (${cause})`
          : `job ${job.id} failed: its items could not be queued (${cause}); send the request again`,
        503,
      );
    }
    await deps.jobs.transition(job.id, ['queued'], 'running');
    job = (await deps.jobs.get(job.id)) ?? job;
  }
  return { job, created: stored.created };
}

/** Fingerprint of a request, to refuse an idempotency key reused for different input. */
function hashRequest(input: CreateJobInput): string {
  return createHash('sha256').update(JSON.stringify([input.type, input.items])).digest('hex');
}
