import { describe, expect, it } from 'vitest';
import { drain, memoryDeps } from '@merchantops/core/adapters/memory/memory-deps';
import { createApiKey, rotateWebhookSecret } from '@merchantops/core/tenants/tenant-admin';
import { signatureHeader } from '@merchantops/core/webhooks/signature';
import { apiClient } from '../../../../test/support/api-client';
import { createApi } from './app';
import { openApiDocument } from './docs/openapi';

/** The API on the in-memory ports, called through app.request(): tenant "acme" and its key. */
async function api() {
  const deps = memoryDeps();
  const app = createApi(deps);
  const key = await createApiKey(deps.keys, 'acme');
  const as = (apiKey?: string) => apiClient('http://api.test', apiKey, (url, init) => app.request(url, init));
  return {
    ...as(key),
    deps,
    as,
    jobCount: async () => (await deps.jobs.list('acme', {}, 100)).items.length,
  };
}

const products = (count: number, prefix = 'SKU') =>
  Array.from({ length: count }, (_, i) => ({ sku: `${prefix}-${String(i).padStart(5, '0')}`, title: `Product ${i}`, price: 10 + i }));

describe('API errors: the right code, a clear JSON error, nothing created', () => {
  type Api = Awaited<ReturnType<typeof api>>;
  const cases: [string, (api: Api) => ReturnType<Api['call']>, number, string, RegExp][] = [
    ['malformed JSON', (a) => a.post('/v1/jobs', '{"type": "import", items: ['), 400, 'bad_request', /^body: is not valid JSON/],
    ['body not an object', (a) => a.post('/v1/jobs', '[1,2]'), 400, 'bad_request', /^body: must be a JSON object/],
    ['unknown type', (a) => a.post('/v1/jobs', { type: 'delete', items: [] }), 400, 'bad_request', /^type: must be one of import, enrichment, export/],
    ['missing type', (a) => a.post('/v1/jobs', { items: [] }), 400, 'bad_request', /^type: /],
    ['items not an array', (a) => a.post('/v1/jobs', { type: 'import', items: { sku: 'a' } }), 400, 'bad_request', /^items: must be an array/],
    ['items missing', (a) => a.post('/v1/jobs', { type: 'import' }), 400, 'bad_request', /^items: is required/],
    ['too many items', (a) => a.post('/v1/jobs', { type: 'import', items: products(10_001) }), 413, 'payload_too_large', /^items: at most 10000 items per request \(got 10001\)/],
    ['one huge item', (a) => a.post('/v1/jobs', { type: 'import', items: [{ sku: 'a' }, { sku: 'b', description: 'x'.repeat(300 * 1024) }] }), 413, 'payload_too_large', /^items\.1: /],
    ['body over 6 MiB', (a) => a.post('/v1/jobs', { type: 'import', items: [], pad: 'x'.repeat(7 * 1024 * 1024) }), 413, 'payload_too_large', /larger than 6 MiB/],
    ['not JSON', (a) => a.post('/v1/jobs', 'type=import', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type', /application\/json/],
    ['no content type', (a) => a.call('POST', '/v1/jobs', '{}', { 'content-type': '' }), 415, 'unsupported_media_type', /application\/json/],
    ['bad Idempotency-Key', (a) => a.post('/v1/jobs', { type: 'import', items: [] }, { 'idempotency-key': 'has spaces in it' }), 400, 'bad_request', /^Idempotency-Key: /],
  ];

  it.each(cases)('%s', async (_name, request, status, code, message) => {
    const a = await api();
    const response = await request(a);
    expect(response.status).toBe(status);
    expect(response.json.error.code).toBe(code);
    expect(response.json.error.message).toMatch(message);
    expect(await a.jobCount()).toBe(0);
    expect(a.deps.dispatcher.chunks).toEqual([]);
    expect(a.deps.files.files.size).toBe(0);
  });

  it('401 without a key, with a malformed header and with an unknown key', async () => {
    const a = await api();
    const headerSets: Record<string, string>[] = [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer mo_not-a-real-key' }];
    for (const headers of headerSets) {
      const response = await a.as().call('GET', '/v1/jobs', undefined, headers);
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('unauthorized');
    }
    const post = await a.as('mo_wrong').post('/v1/jobs', { type: 'import', items: products(3) });
    expect(post.status).toBe(401);
    expect(await a.jobCount()).toBe(0);
  });

  it('404 for an unknown job, unknown product and unknown route', async () => {
    const a = await api();
    for (const path of [
      '/v1/jobs/00000000-0000-4000-8000-000000000000',
      '/v1/jobs/not-a-uuid',
      '/v1/jobs/00000000-0000-4000-8000-000000000000/failures',
      '/v1/products/NOPE',
      '/v1/products/bad%20sku',
      '/v1/nothing',
    ]) {
      const response = await a.get(path);
      expect(response.status, path).toBe(404);
      expect(response.json.error.code).toBe('not_found');
    }
  });

  it('400 for bad query parameters and cursors', async () => {
    const a = await api();
    for (const [path, message] of [
      ['/v1/jobs?type=delete', /^type: must be one of/],
      ['/v1/jobs?status=done', /^status: must be one of/],
      ['/v1/jobs?limit=0', /^limit: must be a whole number from 1 to 100/],
      ['/v1/jobs?limit=abc', /^limit: /],
      ['/v1/jobs?limit=101', /^limit: /],
      ['/v1/jobs?cursor=garbage', /^cursor: is not a valid cursor/],
    ] as const) {
      const response = await a.get(path);
      expect(response.status, path).toBe(400);
      expect(response.json.error.message).toMatch(message);
    }
  });
});

describe('tenants', () => {
  it("tenant B cannot see tenant A's job, failures, products or cursors", async () => {
    const a = await api();
    const b = a.as(await createApiKey(a.deps.keys, 'globex'));
    const created = await a.post('/v1/jobs', { type: 'import', items: [...products(5, 'TEN'), { sku: 'TEN-BAD', price: -1 }] });
    expect(created.status).toBe(202);
    await drain(a.deps);
    expect((await a.get(`/v1/jobs/${created.json.id}`)).json).toMatchObject({ status: 'completed', processed: 6, failed: 1 });

    const asB = await b.get(`/v1/jobs/${created.json.id}`);
    const missing = await b.get('/v1/jobs/00000000-0000-4000-8000-000000000000');
    expect(asB.status).toBe(404);
    expect(asB.json.error.code).toBe(missing.json.error.code);
    expect((await b.get(`/v1/jobs/${created.json.id}/failures`)).status).toBe(404);
    expect((await b.get('/v1/products/TEN-00001')).status).toBe(404);
    expect((await b.get('/v1/jobs')).json.jobs).toEqual([]);
    expect((await a.get('/v1/products/TEN-00001')).status).toBe(200);

    await a.post('/v1/jobs', { type: 'import', items: products(1, 'TWO') });
    const page = await a.get('/v1/jobs?limit=1');
    expect(page.json.nextCursor).toEqual(expect.any(String));
    expect((await b.get(`/v1/jobs?limit=1&cursor=${page.json.nextCursor}`)).status).toBe(400);
  });
});

describe('routes declared with their schemas (@hono/zod-openapi)', () => {
  it('keeps the order of checks: the job (404), then the body (400), then the Idempotency-Key (400)', async () => {
    const a = await api();
    const badKey = { 'idempotency-key': 'has spaces in it' };
    const fields = await a.post('/v1/jobs', { type: 'delete', items: [] }, badKey);
    expect(fields.status).toBe(400);
    expect(fields.json.error.message).toMatch(/^type: must be one of/);
    const missing = await a.post('/v1/jobs/00000000-0000-4000-8000-000000000000/retry', '{"reason": ', badKey);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    expect(await a.jobCount()).toBe(0);
  });

  it('retries with an empty body, a body, and refuses a bad one', async () => {
    const a = await api();
    const created = await a.post('/v1/jobs', { type: 'import', items: [...products(2, 'RET'), { sku: 'RET-BAD', price: -1 }] });
    await drain(a.deps);
    const path = `/v1/jobs/${created.json.id}/retry`;
    expect((await a.post(path, { reason: 7 })).json.error.message).toMatch(/^reason: must be a string/);
    expect((await a.post(path, { other: 1 })).status).toBe(400);
    const empty = await a.post(path, '', { 'idempotency-key': 'retry-1' });
    expect(empty.status).toBe(202);
    expect(empty.json.retryOf).toBe(created.json.id);
    expect((await a.call('POST', path, undefined, { 'idempotency-key': 'retry-1' })).json.id).toBe(empty.json.id);
    const blank = await a.call('POST', path, ' ', { 'idempotency-key': 'retry-1', 'content-type': 'text/plain' });
    expect(blank.json.id).toBe(empty.json.id);
  });

  it('answers a bad query with the field and its rule, and a malformed SKU with 404', async () => {
    const a = await api();
    const failures = await a.get('/v1/jobs?limit=5&type=import');
    expect(failures.status).toBe(200);
    const bad = await a.get('/v1/jobs?limit=5&type=import&status=nope');
    expect(bad.json).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(/^status: must be one of queued, /) } });
    const sku = await a.get('/v1/products/a%2Fb');
    expect(sku.json.error).toEqual({ code: 'not_found', message: 'product a/b not found' });
  });

  it('takes a signed webhook whatever its Content-Type, checking the signature before the body', async () => {
    const a = await api();
    const secret = await rotateWebhookSecret(a.deps.keys, 'acme');
    const send = (body: string, headers: Record<string, string>, signed = body) => {
      const t = Math.floor(a.deps.now().getTime() / 1000);
      const delivery = `d-${Math.random()}`;
      return a.as().call('POST', '/v1/webhooks/imports/acme', body, {
        ...headers,
        'merchantops-delivery': delivery,
        'merchantops-signature': signatureHeader([secret], t, signed, delivery),
      });
    };
    const unsigned = await send('{"nope": 1}', { 'content-type': 'application/json' }, 'something else');
    expect(unsigned.status).toBe(401);
    const badBody = await send('{"nope": 1}', { 'content-type': 'application/json' });
    expect(badBody.status).toBe(400);
    expect(badBody.json.error.message).toMatch(/^body: must be \{"products": \[\.\.\.\]\} or/);
    const plain = await send(JSON.stringify({ products: products(2, 'WEB') }), { 'content-type': 'text/plain' });
    expect(plain.status).toBe(202);
    expect(plain.json).toMatchObject({ type: 'import', total: 2 });
  });

  it('documents each route with the schemas that validate it', () => {
    const document = openApiDocument(createApi(memoryDeps()));
    const create = document.paths['/v1/jobs'].post;
    expect(create.requestBody?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateJobRequest' });
    expect(create.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['header:Idempotency-Key']);
    expect(create.responses['400']).toEqual({ $ref: '#/components/responses/E400' });
    expect(document.paths['/v1/uploads'].post.requestBody?.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateUploadRequest',
    });
    const sku = document.paths['/v1/products/{sku}'].get.parameters?.find((p) => p.name === 'sku');
    expect(sku?.schema.pattern).toBe('^[A-Za-z0-9._-]{1,64}$');
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(document.paths['/v1/jobs'].get.security).toBeUndefined();
  });
});
