import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { startStack, type LocalStack, type StackOptions } from '@merchantops/local/stack';
import { apiClient, type Api } from './api-client';

type Options = Omit<StackOptions, 'dynamoEndpoint' | 'sqsEndpoint'>;

/** Starts a fresh stack (own tables and queues) on the shared emulators. */
export function startTestStack(options: Options = {}): Promise<LocalStack> {
  return startStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
    prefix: `t${randomUUID().slice(0, 8)}`,
    visibilityTimeoutSeconds: 2,
    // The suites count chunks of 25 (the production default is larger).
    chunkSize: 25,
    ...options,
  });
}

/** A stack for the whole test file, with a tenant "acme" and its key. */
export function useStack(options: Options = {}) {
  const ctx = {} as { stack: LocalStack; key: string; api: Api };
  beforeAll(async () => {
    ctx.stack = await startTestStack(options);
    ctx.key = await ctx.stack.createApiKey('acme');
    ctx.api = apiClient(ctx.stack.url, ctx.key);
  });
  afterAll(() => ctx.stack?.stop());
  return ctx;
}

export { apiClient, type Api } from './api-client';

/**
 * Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`;
 * `what` may be a function, so the failure can say what was last seen. Polls often at first (most
 * waits end within a second, and ~100 of them add up) and less often in a long wait.
 */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string | (() => string), timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    const waited = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, waited < 2_000 ? 25 : waited < 10_000 ? 100 : 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
}

/** Waits until the job has finished and returns it. */
export async function waitForJob(api: Api, id: string, timeoutMs = 30_000) {
  let last: unknown;
  return waitFor(
    async () => {
      const { json } = await api.get(`/v1/jobs/${id}`);
      last = json;
      return ['completed', 'cancelled', 'failed'].includes(json?.status) ? json : undefined;
    },
    () => `job ${id} to finish (last seen ${JSON.stringify(last)})`,
    timeoutMs,
  );
}

/** `count` products, every `invalidEvery`th one invalid (a negative price). */
export function products(count: number, invalidEvery = 0, prefix = 'SKU') {
  return Array.from({ length: count }, (_, i) => ({
    sku: `${prefix}-${String(i).padStart(5, '0')}`,
    title: `Product ${i}`,
    price: invalidEvery && i % invalidEvery === 0 ? -1 : 10 + i,
    brand: 'Acme',
  }));
}

/** Creates an upload, PUTs `body` to its URL, and returns the upload id. */
export async function uploadFile(api: Api, filename: string, body: string | Buffer) {
  const upload = await api.post('/v1/uploads', { filename });
  if (upload.status !== 201) throw new Error(`upload failed: ${JSON.stringify(upload.json)}`);
  const put = await fetch(upload.json.url, { method: 'PUT', headers: upload.json.headers, body });
  if (!put.ok) throw new Error(`PUT to the upload URL failed: ${put.status} ${await put.text()}`);
  return upload.json.uploadId as string;
}

/** Every failure of a job, through the paginated API. */
export async function allFailures(api: Api, jobId: string) {
  const failures: any[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.get(`/v1/jobs/${jobId}/failures?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    failures.push(...page.json.failures);
    cursor = page.json.nextCursor;
  } while (cursor);
  return failures;
}

/** Follows a redirect to a download and returns the file's text. */
export async function download(api: Api, path: string) {
  const response = await fetch(api.baseUrl + path, { headers: api.headers, redirect: 'manual' });
  if (response.status !== 302) throw new Error(`expected a redirect from ${path}, got ${response.status}: ${await response.text()}`);
  const location = response.headers.get('location')!;
  const file = await fetch(location);
  return { status: file.status, text: await file.text(), location };
}
