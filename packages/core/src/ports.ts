import type { Chunk } from './jobs/chunk';
import type { Job, JobStatus, JobType } from './jobs/job';

/** A failed item as stored and listed. */
export interface Failure {
  index: number;
  item: unknown;
  reason: string;
}

export type CommitResult = 'committed' | 'duplicate';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface JobStore {
  /**
   * Stores a new job. With an idempotency key, returns the job already created
   * under that key instead (created: false, with that request's hash); two
   * racing calls create one job.
   */
  create(
    job: Job,
    idempotency?: { key: string; requestHash: string },
  ): Promise<{ job: Job; created: boolean; requestHash?: string }>;
  get(jobId: string): Promise<Job | undefined>;
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
   * Atomically records a finished chunk: marker (once), counters, failures.
   * A chunk committed before returns 'duplicate' and changes nothing.
   */
  commitChunk(
    jobId: string,
    chunk: number,
    counts: { processed: number; failed: number },
    failures: Failure[],
  ): Promise<CommitResult>;
  /** Moves a job whose every item has finished to completed; returns it to the one caller that did it. */
  completeIfDone(jobId: string): Promise<Job | undefined>;
  /** Remembers why a chunk attempt failed, for the dead-letter handler's reason. */
  recordChunkError(jobId: string, chunk: number, error: string): Promise<void>;
  lastChunkError(jobId: string, chunk: number): Promise<string | undefined>;
}

export interface Dispatcher {
  /** Sends every chunk; safe to repeat. Throws if some could not be sent after retries. */
  send(chunks: Chunk[]): Promise<void>;
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
  /** Sets fields on an existing product; false when it does not exist. */
  update(tenantId: string, sku: string, fields: Record<string, unknown>): Promise<boolean>;
}

export interface KeyStore {
  /** The tenant a key hash belongs to. */
  tenantOf(keyHash: string): Promise<string | undefined>;
  saveKey(keyHash: string, tenantId: string): Promise<void>;
  ensureTenant(tenantId: string): Promise<void>;
}
