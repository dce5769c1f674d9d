import type { z } from 'zod';
import type { DownloadLink, uploadSchema } from '@merchantops/core/contract/response-schemas';
import type {
  createJobBodySchema,
  createUploadBodySchema,
  listFailuresQuerySchema,
  listJobsQuerySchema,
  retryBodySchema,
} from '@merchantops/core/jobs/job-schemas';
import type { JobView } from '@merchantops/core/jobs/progress';
import { isFinished as isFinishedStatus } from '@merchantops/core/jobs/status';
import type { Failure } from '@merchantops/core/ports';

/**
 * A typed client of the MerchantOps Jobs API, for the Jobs page (bundled for
 * the browser) and the CLI (Node). Its types come from the API's own code:
 * the request types from the zod schemas that validate requests, the job from
 * `jobView`, so a change to the API is a type error here.
 *
 * Uses only `fetch`; at run time it imports nothing that needs Node.
 */

export type Job = JobView;
export type JobType = Job['type'];
export type JobStatus = Job['status'];
export type CreateJobRequest = z.input<typeof createJobBodySchema>;
export type RetryRequest = z.input<typeof retryBodySchema>;
export type CreateUploadRequest = z.input<typeof createUploadBodySchema>;
export type ListJobsQuery = Partial<z.input<typeof listJobsQuerySchema>>;
export type ListFailuresQuery = Partial<Omit<z.input<typeof listFailuresQuerySchema>, 'format'>>;
export type Upload = z.output<typeof uploadSchema>;
export type { DownloadLink, Failure };
export interface JobList {
  jobs: Job[];
  nextCursor: string | null;
}
export interface FailureList {
  failures: Failure[];
  nextCursor: string | null;
}

/** An error answer of the API (`{"error": {"code", "message"}}`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;
/** What a file upload may send: a string, bytes, a Blob or a stream. */
export type UploadBody = FetchInit['body'];

export interface ClientOptions {
  /** e.g. http://127.0.0.1:3000; '' for the page's own origin. */
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  idempotencyKey?: string;
}

/** Finished jobs never change status again. */
export const isFinished = (job: Pick<Job, 'status'>) => isFinishedStatus(job.status);

/** What a finished job amounts to: completed cleanly, completed with failed items, or did not complete. */
export function outcomeOf(job: Pick<Job, 'status' | 'failed'>): 'active' | 'clean' | 'with-failures' | 'unsuccessful' {
  if (!isFinished(job)) return 'active';
  if (job.status !== 'completed') return 'unsuccessful';
  return job.failed > 0 ? 'with-failures' : 'clean';
}

export type ApiClient = ReturnType<typeof createClient>;

export function createClient(options: ClientOptions) {
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl.replace(/\/+$/, '');
  /**
   * Answers of conditional GETs by path: sent back as If-None-Match, and
   * returned as the same object on a 304, so a caller can tell "unchanged"
   * by identity.
   */
  const validated = new Map<string, { etag: string; value: unknown }>();

  async function request(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}`, ...init.headers };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    // no-store: the browser's own cache stays out of it; revalidation is done here.
    const fetchInit: FetchInit & { cache: 'no-store' } = {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: 'no-store',
    };
    let response: Response;
    try {
      response = await doFetch(base + path, fetchInit);
    } catch (error) {
      throw new ApiError(0, 'network', `cannot reach ${base || 'the API'}: ${(error as Error).message}`);
    }
    if (response.status >= 400) throw await errorOf(response);
    return response;
  }

  async function send<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const response = await request(method, path, { body, headers });
    return (await response.json()) as T;
  }

  /** A GET that revalidates what it got last time for this path. */
  async function conditionalGet<T>(path: string): Promise<T> {
    const known = validated.get(path);
    const response = await request('GET', path, { headers: known ? { 'If-None-Match': known.etag } : {} });
    if (response.status === 304 && known) return known.value as T;
    const value = (await response.json()) as T;
    const etag = response.headers.get('etag');
    if (etag) validated.set(path, { etag, value });
    return value;
  }

  const idempotency = (opts?: RequestOptions) => (opts?.idempotencyKey ? { 'Idempotency-Key': opts.idempotencyKey } : undefined);
  const job = (id: string) => `/v1/jobs/${encodeURIComponent(id)}`;

  return {
    baseUrl: base,
    listJobs: (query: ListJobsQuery = {}) => conditionalGet<JobList>(`/v1/jobs${queryString(query)}`),
    getJob: (id: string) => conditionalGet<Job>(job(id)),
    createJob: (body: CreateJobRequest, opts?: RequestOptions) => send<Job>('POST', '/v1/jobs', body, idempotency(opts)),
    cancelJob: (id: string) => send<Job>('POST', `${job(id)}/cancel`),
    retryJob: (id: string, body: RetryRequest = {}, opts?: RequestOptions) =>
      send<Job>('POST', `${job(id)}/retry`, body, idempotency(opts)),
    listFailures: (id: string, query: ListFailuresQuery = {}) =>
      send<FailureList>('GET', `${job(id)}/failures${queryString(query)}`),
    /** A short-lived link to every failed row as CSV. */
    failuresFileLink: (id: string) => send<DownloadLink>('GET', `${job(id)}/failures?format=csv`, undefined, { Accept: 'application/json' }),
    /** A short-lived link to the file of a completed export. */
    resultFileLink: (id: string) => send<DownloadLink>('GET', `${job(id)}/result`, undefined, { Accept: 'application/json' }),
    createUpload: (body: CreateUploadRequest) => send<Upload>('POST', '/v1/uploads', body),
    /** PUTs a file to an upload's URL (storage, not the API: no key). */
    async putUpload(upload: Upload, body: UploadBody) {
      // duplex: Node needs it to send a stream; browsers ignore it.
      const fetchInit: FetchInit & { duplex: 'half' } = { method: upload.method, headers: upload.headers, body, duplex: 'half' };
      let response: Response;
      try {
        response = await doFetch(upload.url, fetchInit);
      } catch (error) {
        throw new ApiError(0, 'network', `cannot reach the upload URL: ${(error as Error).message}`);
      }
      if (!response.ok) throw new ApiError(response.status, 'upload_failed', `the upload was refused: ${response.status} ${await response.text()}`);
    },
    getProduct: (sku: string) => send<Record<string, unknown>>('GET', `/v1/products/${encodeURIComponent(sku)}`),
  };
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string } };
    return new ApiError(response.status, error.code, error.message);
  } catch {
    return new ApiError(response.status, 'http_error', `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
}
