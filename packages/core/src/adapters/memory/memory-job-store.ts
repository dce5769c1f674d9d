import type { Job, JobStatus } from '../../jobs/job';
import { isFinished } from '../../jobs/status';
import { ACTIVE_STATUSES, MOVES } from '../../jobs/lifecycle';
import { boundFailures, failureBounds, tallyReasons } from '../../jobs/chunk-record';
import { MAX_RETRIES, tooManyRetries } from '../../jobs/retry-limit';
import { badRequest } from '../../shared/errors';
import type { ChunkCommit, CommitOutcome, Failure, JobStore, Page, Upload } from '../../ports';
import { byBytes, memoryCursor, stored } from './stored';

const DAY = 24 * 3600;
const IDEMPOTENCY_TTL = 1 * DAY;
const UPLOAD_TTL = 7 * DAY;
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

/** The job record with the bookkeeping the domain does not see (as DynamoJobStore keeps it). */
interface StoredJob extends Job {
  /** Items not finished yet (0 plus what commits took while planning). */
  remaining: number;
}

interface ChunkRecord {
  n: number;
  processed: number;
  failed: number;
  committedAt: string;
  failures?: Failure[];
}

/**
 * The job store in memory, with DynamoJobStore's guarantees (test/contracts/
 * job-store.contract.ts runs the same cases on both): every write checks its
 * conditions and applies in one synchronous step, so racing callers see the
 * same winners as DynamoDB's conditional writes give. Bounds, reason
 * summaries and status moves come from the domain (chunk-record.ts,
 * lifecycle.ts), as in the DynamoDB adapter.
 */
export class MemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, StoredJob>();
  /** Jobs in the index of active jobs (what the sweeper reads). */
  private readonly active = new Set<string>();
  private readonly chunks = new Map<string, Map<number, ChunkRecord>>();
  private readonly idempotency = new Map<string, { jobId: string; requestHash: string; expiresAt: number }>();
  private readonly chunkErrors = new Map<string, string>();
  private readonly uploads = new Map<string, Upload & { expiresAt: number }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async create(job: Job, idempotency?: { key: string; requestHash: string }): Promise<{ job: Job; created: boolean; requestHash?: string }> {
    const now = epoch(this.now());
    const idemKey = idempotency && `${job.tenantId}#${idempotency.key}`;
    const held = idemKey ? this.idempotency.get(idemKey) : undefined;
    const idemTaken = held !== undefined && held.expiresAt >= now;
    const exists = this.jobs.has(job.id);
    const original = job.retryOf ? this.jobs.get(job.retryOf) : undefined;
    const retryRefused = job.retryOf !== undefined && (!original || (original.retries?.length ?? 0) >= MAX_RETRIES);
    if (!idemTaken && !exists && !retryRefused) {
      if (idemKey) this.idempotency.set(idemKey, { jobId: job.id, requestHash: idempotency!.requestHash, expiresAt: now + IDEMPOTENCY_TTL });
      this.jobs.set(job.id, stored({
        result: {},
        failureReasons: {},
        otherReasons: 0,
        remaining: job.planning ? 0 : job.total - job.processed,
        ...job,
      }));
      if (!isFinished(job.status)) this.active.add(job.id);
      if (original) original.retries = [...(original.retries ?? []), job.id];
      return { job, created: true };
    }
    if (retryRefused) throw tooManyRetries(job.retryOf!);
    if (!idemTaken) throw new Error(`job ${job.id} already exists`);
    const existing = await this.findByIdempotencyKey(job.tenantId, idempotency!.key);
    if (!existing) throw new Error(`idempotency key ${idempotency!.key} points to a missing job`);
    return { ...existing, created: false };
  }

  async findByIdempotencyKey(tenantId: string, key: string) {
    const held = this.idempotency.get(`${tenantId}#${key}`);
    if (!held || held.expiresAt < epoch(this.now())) return undefined;
    const job = await this.get(held.jobId);
    return job ? { job, requestHash: held.requestHash } : undefined;
  }

  async get(jobId: string): Promise<Job | undefined> {
    const job = this.jobs.get(jobId);
    return job && toJob(job);
  }

  /** Newest first, like the tenant index; the cursor is the last job listed. */
  async list(tenantId: string, filter: { type?: string; status?: JobStatus }, limit: number, cursor?: string): Promise<Page<Job>> {
    const after = memoryCursor.decode(cursor, `tenant:${tenantId}`)?.after;
    if (cursor !== undefined && typeof after !== 'string') throw badRequest('cursor: is not a valid cursor');
    const matching = [...this.jobs.values()]
      .filter((job) => job.tenantId === tenantId)
      .filter((job) => (!filter.type || job.type === filter.type) && (!filter.status || job.status === filter.status))
      .map((job) => ({ job, at: `${job.createdAt}#${job.id}` }))
      .sort((a, b) => byBytes(b.at, a.at))
      .filter(({ at }) => after === undefined || byBytes(at, after as string) < 0);
    const page = matching.slice(0, limit);
    const more = matching.length > limit;
    return {
      items: page.map(({ job }) => toJob(job)),
      nextCursor: more ? memoryCursor.encode(`tenant:${tenantId}`, { after: page.at(-1)!.at }) : null,
    };
  }

  /** In chunk order; the cursor names the chunk to go on from and how many of its failures were listed. */
  async listFailures(jobId: string, limit: number, cursor?: string): Promise<Page<Failure>> {
    const at = memoryCursor.decode(cursor, `job:${jobId}`);
    if (at && (!Number.isInteger(at.n) || !Number.isInteger(at.skip))) throw badRequest('cursor: is not a valid cursor');
    const next = (n: number, skip: number) => memoryCursor.encode(`job:${jobId}`, { n, skip });
    const from = at ? (at.n as number) : 0;
    let skip = at ? (at.skip as number) : 0;
    const records = [...(this.chunks.get(jobId)?.values() ?? [])].filter((r) => r.n >= from && r.failed > 0).sort((a, b) => a.n - b.n);
    const items: Failure[] = [];
    for (const record of records) {
      const failures = record.failures ?? [];
      const wanted = failures.slice(skip, skip + (limit - items.length));
      items.push(...stored(wanted));
      const taken = skip + wanted.length;
      skip = 0;
      if (items.length >= limit) {
        return { items, nextCursor: taken < failures.length ? next(record.n, taken) : next(record.n + 1, 0) };
      }
    }
    return { items, nextCursor: null };
  }

  async transition(jobId: string, from: readonly JobStatus[], to: JobStatus, error?: string): Promise<Job | undefined> {
    const job = this.jobs.get(jobId);
    if (!job || !from.includes(job.status)) return undefined;
    const now = this.now().toISOString();
    job.status = to;
    job.updatedAt = now;
    if (error) job.error = error.slice(0, 1000);
    if (isFinished(to)) this.finish(job, now);
    return toJob(job);
  }

  async commitChunk(jobId: string, commit: ChunkCommit, options: { completeWhenDone?: boolean } = {}): Promise<CommitOutcome> {
    const failures = boundFailures(commit.failures);
    const tally = tallyReasons(failures);
    const records = this.chunks.get(jobId) ?? new Map<number, ChunkRecord>();
    // The chunk record makes the whole commit happen at most once per chunk.
    if (records.has(commit.chunk)) return { status: 'duplicate' };
    const job = this.jobs.get(jobId);
    if (!job || !ACTIVE_STATUSES.includes(job.status)) return { status: 'inactive' };
    const last = job.planning === undefined && job.remaining === commit.processed;
    if (job.planning === undefined && !last && job.remaining <= commit.processed) {
      throw new Error(`chunk ${commit.chunk} commits ${commit.processed} items, but job ${jobId} has ${job.remaining} left`);
    }
    const now = this.now().toISOString();
    records.set(commit.chunk, stored({
      n: commit.chunk,
      processed: commit.processed,
      failed: failures.length,
      committedAt: now,
      ...(failures.length ? { failures } : {}),
    }));
    this.chunks.set(jobId, records);

    for (const [key, count] of Object.entries(commit.result ?? {})) {
      if (count !== 0) job.result = { ...job.result, [key]: Number(job.result?.[key] ?? 0) + count };
    }
    // Reasons by name while the job has room for new names; the rest are other reasons.
    const reasons = (job.failureReasons ??= {});
    let room = failureBounds.reasonsPerJob - Object.keys(reasons).length;
    let other = tally.other;
    for (const [reason, count] of tally.named) {
      const isNew = !(reason in reasons);
      if (isNew && room <= 0) {
        other += count;
        continue;
      }
      if (isNew) room--;
      reasons[reason] = (reasons[reason] ?? 0) + count;
    }
    job.processed += commit.processed;
    job.failed += failures.length;
    job.remaining -= commit.processed;
    if (other > 0) job.otherReasons = (job.otherReasons ?? 0) + other;
    job.updatedAt = now;
    // Progress clears the stall (and its count of re-drives without progress).
    delete job.stalledAt;
    delete job.stalledRedrives;
    if (!last) return { status: 'committed', done: false };
    if (options.completeWhenDone === false) return { status: 'committed', done: true };
    job.status = MOVES.complete.to;
    job.completedAt = now;
    this.active.delete(jobId);
    return { status: 'committed', done: true, completed: toJob(job) };
  }

  async committedChunks(jobId: string): Promise<Set<number>> {
    return new Set(this.chunks.get(jobId)?.keys() ?? []);
  }

  /** Oldest first, like the index of active jobs. */
  async listActive(limit: number, cursor?: string): Promise<Page<Job>> {
    const after = memoryCursor.decode(cursor, 'active')?.after;
    if (cursor !== undefined && typeof after !== 'string') throw badRequest('cursor: is not a valid cursor');
    const matching = [...this.active]
      .map((id) => this.jobs.get(id)!)
      .map((job) => ({ job, at: `${job.createdAt}#${job.id}` }))
      .sort((a, b) => byBytes(a.at, b.at))
      .filter(({ at }) => after === undefined || byBytes(at, after as string) > 0);
    const page = matching.slice(0, limit);
    return {
      items: page.map(({ job }) => toJob(job)),
      nextCursor: matching.length > limit ? memoryCursor.encode('active', { after: page.at(-1)!.at }) : null,
    };
  }

  async markStalled(jobId: string, stalledRedrives: number): Promise<Job | undefined> {
    const job = this.jobs.get(jobId);
    if (!job || !ACTIVE_STATUSES.includes(job.status)) return undefined;
    const now = this.now().toISOString();
    job.stalledAt ??= now;
    job.redrivenAt = now;
    job.stalledRedrives = stalledRedrives;
    return toJob(job);
  }

  async complete(jobId: string, result?: Record<string, string | number>): Promise<Job | undefined> {
    const job = this.jobs.get(jobId);
    const from: readonly JobStatus[] = MOVES.complete.from;
    if (!job || !from.includes(job.status) || job.processed < job.total || job.planning !== undefined) return undefined;
    const now = this.now().toISOString();
    job.status = MOVES.complete.to;
    job.updatedAt = now;
    if (result) job.result = stored(result);
    this.finish(job, now);
    return toJob(job);
  }

  async finishPlanning(jobId: string, total: number, chunkCount: number): Promise<Job | undefined> {
    const job = this.jobs.get(jobId);
    if (!job || job.planning === undefined) return undefined;
    // Commits during planning took their items off `remaining` (from 0); adding the total makes it exact.
    job.total = total;
    job.chunkCount = chunkCount;
    job.updatedAt = this.now().toISOString();
    job.remaining += total;
    delete job.planning;
    return toJob(job);
  }

  async recordChunkError(jobId: string, chunk: number, error: string): Promise<void> {
    this.chunkErrors.set(`${jobId}#${chunk}`, error.slice(0, 1000));
  }

  async lastChunkError(jobId: string, chunk: number): Promise<string | undefined> {
    return this.chunkErrors.get(`${jobId}#${chunk}`);
  }

  async saveUpload(upload: Upload): Promise<void> {
    this.uploads.set(upload.id, stored({ ...upload, expiresAt: epoch(this.now()) + UPLOAD_TTL }));
  }

  async getUpload(uploadId: string): Promise<Upload | undefined> {
    const found = this.uploads.get(uploadId);
    if (!found || found.expiresAt < epoch(this.now())) return undefined;
    const { expiresAt, ...upload } = found;
    return stored(upload);
  }

  /** A finished job records when it finished and leaves the index of active jobs. */
  private finish(job: StoredJob, now: string) {
    job.completedAt = now;
    delete job.stalledAt;
    delete job.stalledRedrives;
    this.active.delete(job.id);
  }
}

function toJob(job: StoredJob): Job {
  const { remaining, ...rest } = stored(job);
  return rest;
}
