import type { Readable } from 'node:stream';
import type { Chunk } from './jobs/chunk';
import type { JobTask } from './jobs/messages';
import type { Job, JobStatus, JobType, UploadFormat } from './jobs/job';
import type { TenantSettings } from './webhooks/tenant-settings';

/** A failed item as stored and listed. */
export interface Failure {
  index: number;
  reason: string;
  /** The item, kept whole (for retry) when it is small enough; see chunk-record.ts. */
  item?: unknown;
  /** The start of the item (or of its raw row) when it was not kept whole. */
  preview?: string;
  /** Deliveries of the chunk when the item failed (1 on the first try). */
  attempts?: number;
  /** Source line, for items read from a file. */
  line?: number;
}

/** What one chunk adds to its job. */
export interface ChunkCommit {
  chunk: number;
  processed: number;
  failures: Failure[];
  /** Counts to add to the job's result (e.g. created / updated / unchanged). */
  result?: Record<string, number>;
}

export type CommitOutcome =
  /** `done`: this commit finished the job's last items; `completed`: and moved it to completed. */
  | { status: 'committed'; done: boolean; completed?: Job }
  /** Committed before: nothing changed. */
  | { status: 'duplicate' }
  /** The job is cancelled, finished or gone: nothing changed. */
  | { status: 'inactive' };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Upload {
  id: string;
  tenantId: string;
  format: UploadFormat;
  key: string;
  filename?: string;
  createdAt: string;
}

export interface JobStore {
  /**
   * Stores a new job (and, for a retry job, links it from the job it retries).
   * With an idempotency key, returns the job already created under that key
   * instead (created: false, with that request's hash); two racing calls create one job.
   */
  create(
    job: Job,
    idempotency?: { key: string; requestHash: string },
  ): Promise<{ job: Job; created: boolean; requestHash?: string }>;
  get(jobId: string): Promise<Job | undefined>;
  /** The job a tenant's idempotency key created (while the key lives), with that request's hash. */
  findByIdempotencyKey(tenantId: string, key: string): Promise<{ job: Job; requestHash: string } | undefined>;
  list(
    tenantId: string,
    filter: { type?: JobType; status?: JobStatus },
    limit: number,
    cursor?: string,
  ): Promise<Page<Job>>;
  listFailures(jobId: string, limit: number, cursor?: string): Promise<Page<Failure>>;
  /** Moves status if the job is currently in one of `from` (recording `error` if given). Returns the moved job. */
  transition(jobId: string, from: readonly JobStatus[], to: JobStatus, error?: string): Promise<Job | undefined>;
  /**
   * Atomically records a finished chunk — its record (marker and failures,
   * once) and the job's counters — at a constant cost whatever fails. Only
   * while the job is queued or running. The commit that finishes the job's
   * last items also completes it, unless `completeWhenDone` is false (an
   * export's file must be joined first).
   */
  commitChunk(jobId: string, commit: ChunkCommit, options?: { completeWhenDone?: boolean }): Promise<CommitOutcome>;
  /** Numbers of the job's chunks that have committed. */
  committedChunks(jobId: string): Promise<Set<number>>;
  /** Queued and running jobs of every tenant, oldest first, a page at a time. */
  listActive(limit: number, cursor?: string): Promise<Page<Job>>;
  /** Marks an active job as stalled and records a re-drive; undefined when it is no longer active. */
  markStalled(jobId: string, stalledRedrives: number): Promise<Job | undefined>;
  /**
   * Moves a job whose every item has finished (and whose planning is over) to
   * completed, optionally setting its result; returns it to the one caller that did it.
   */
  complete(jobId: string, result?: Record<string, string | number>): Promise<Job | undefined>;
  /** Records what the planner counted and lets the job complete. */
  finishPlanning(jobId: string, total: number, chunkCount: number): Promise<Job | undefined>;
  /** Remembers why a chunk attempt failed, for the dead-letter handler's reason. */
  recordChunkError(jobId: string, chunk: number, error: string): Promise<void>;
  lastChunkError(jobId: string, chunk: number): Promise<string | undefined>;
  saveUpload(upload: Upload): Promise<void>;
  getUpload(uploadId: string): Promise<Upload | undefined>;
}

export interface NotificationAttempt {
  at: string;
  /** HTTP status of the answer; absent when there was none (timeout, refused connection). */
  status?: number;
  error?: string;
  durationMs: number;
}

/** The completion callback of one job: one delivery id, however many attempts it takes. */
export interface NotificationRecord {
  jobId: string;
  tenantId: string;
  deliveryId: string;
  event: string;
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: NotificationAttempt[];
  createdAt: string;
  /** Set once its first queue message has been sent. */
  queued?: boolean;
}

export interface NotificationStore {
  /** Creates a job's notification the first time; later calls return the one that exists. */
  open(record: NotificationRecord): Promise<NotificationRecord>;
  get(jobId: string): Promise<NotificationRecord | undefined>;
  markQueued(jobId: string): Promise<void>;
  /**
   * Takes a pending notification for one delivery attempt, so two deliverers
   * never post at once; undefined when it is delivered, given up, or taken.
   */
  claim(jobId: string, leaseSeconds: number): Promise<NotificationRecord | undefined>;
  /** Appends an attempt, sets the state and releases the claim. */
  recordAttempt(jobId: string, attempt: NotificationAttempt, state: NotificationRecord['state']): Promise<void>;
}

export interface Dispatcher {
  /** Sends every chunk; safe to repeat. Throws if some could not be sent after retries. */
  send(chunks: Chunk[]): Promise<void>;
  /** Asks the planner to plan a job (read its source, dispatch its chunks) or finalize it (join an export); safe to repeat. */
  requestTask(task: JobTask): Promise<void>;
  /** Queues a delivery attempt of a job's completion callback, after `delaySeconds`; safe to repeat. */
  requestNotification(jobId: string, delaySeconds: number): Promise<void>;
  /** About how many chunks are on the items queue: waiting for a worker or being worked. */
  waitingChunks(): Promise<number>;
}

export interface Product {
  tenantId: string;
  sku: string;
  [field: string]: unknown;
}

export interface ProductStore {
  get(tenantId: string, sku: string): Promise<Product | undefined>;
  getMany(tenantId: string, skus: string[]): Promise<Map<string, Product>>;
  putMany(products: Product[]): Promise<void>;
  /** Every product of a tenant, in SKU order, a page at a time. */
  scan(tenantId: string): AsyncIterable<Product>;
}

export interface FileStore {
  /**
   * A URL the client can PUT a file to, valid for `expiresIn` seconds; with
   * `contentLength`, the URL signs that Content-Length, so storage refuses any other size.
   */
  uploadUrl(key: string, contentType: string, expiresIn: number, contentLength?: number): Promise<string>;
  /** A URL to download a file, named `filename`, valid for `expiresIn` seconds. */
  downloadUrl(key: string, filename: string, expiresIn: number): Promise<string>;
  /** Size of a stored file, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** A stored file as a byte stream; undefined when there is none. */
  read(key: string): Promise<Readable | undefined>;
  /** Stores a file from a string or a stream of strings, without holding it all; returns its size. */
  write(key: string, body: string | AsyncIterable<string | Uint8Array>, contentType: string): Promise<number>;
}

export interface KeyStore {
  /** The tenant a key hash belongs to. */
  tenantOf(keyHash: string): Promise<string | undefined>;
  saveKey(keyHash: string, tenantId: string): Promise<void>;
  ensureTenant(tenantId: string): Promise<void>;
  /** The tenant's settings; undefined for a tenant that does not exist. */
  settings(tenantId: string): Promise<TenantSettings | undefined>;
  /** Changes a tenant's settings with `change`, atomically against concurrent changes. */
  updateSettings(tenantId: string, change: (current: TenantSettings) => TenantSettings): Promise<TenantSettings>;
  /**
   * Records that a signed webhook request (`digest` of its signed content)
   * came as `deliveryId`, until `expiresAt` (epoch seconds), and returns the
   * delivery id it was first seen with: `deliveryId` itself, or the earlier one.
   */
  claimSignedContent(tenantId: string, digest: string, deliveryId: string, expiresAt: number): Promise<string>;
}
