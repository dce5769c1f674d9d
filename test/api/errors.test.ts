import { describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { localSqs } from '@merchantops/local/clients';
import { apiClient, products, useStack, waitForJob } from '../support/stack';

describe('API errors: the right code, a clear JSON error, nothing created', () => {
  const ctx = useStack();

  const jobCount = async () => (await ctx.api.get('/v1/jobs?limit=100')).json.jobs.length;
  const queuedMessages = async () => {
    const { Attributes } = await localSqs(inject('sqsEndpoint')).send(
      new GetQueueAttributesCommand({
        QueueUrl: ctx.stack.resources.itemsQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible);
  };

  const tooMany = { type: 'import', items: products(10_001) };
  const cases: [string, () => Promise<{ status: number; json: any }>, number, string, RegExp][] = [
    ['malformed JSON', () => ctx.api.post('/v1/jobs', '{"type": "import", items: ['), 400, 'bad_request', /^body: is not valid JSON/],
    ['body not an object', () => ctx.api.post('/v1/jobs', '[1,2]'), 400, 'bad_request', /^body: must be a JSON object/],
    ['unknown type', () => ctx.api.post('/v1/jobs', { type: 'delete', items: [] }), 400, 'bad_request', /^type: must be one of import, enrichment, export/],
    ['missing type', () => ctx.api.post('/v1/jobs', { items: [] }), 400, 'bad_request', /^type: /],
    ['items not an array', () => ctx.api.post('/v1/jobs', { type: 'import', items: { sku: 'a' } }), 400, 'bad_request', /^items: must be an array/],
    ['items missing', () => ctx.api.post('/v1/jobs', { type: 'import' }), 400, 'bad_request', /^items: is required/],
    ['too many items', () => ctx.api.post('/v1/jobs', tooMany), 413, 'payload_too_large', /^items: at most 10000 items per request \(got 10001\)/],
    ['one huge item', () => ctx.api.post('/v1/jobs', { type: 'import', items: [{ sku: 'a' }, { sku: 'b', description: 'x'.repeat(300 * 1024) }] }), 413, 'payload_too_large', /^items\.1: /],
    ['body over 6 MiB', () => ctx.api.post('/v1/jobs', { type: 'import', items: [], pad: 'x'.repeat(7 * 1024 * 1024) }), 413, 'payload_too_large', /larger than 6 MiB/],
    ['not JSON', () => ctx.api.post('/v1/jobs', 'type=import', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type', /application\/json/],
    ['no content type', () => ctx.api.call('POST', '/v1/jobs', '{}', { 'content-type': '' }), 415, 'unsupported_media_type', /application\/json/],
    ['bad Idempotency-Key', () => ctx.api.post('/v1/jobs', { type: 'import', items: [] }, { 'idempotency-key': 'has spaces in it' }), 400, 'bad_request', /^Idempotency-Key: /],
  ];

  it.each(cases)('%s', async (_name, request, status, code, message) => {
    const before = await jobCount();
    const response = await request();
    expect(response.status).toBe(status);
    expect(response.json.error.code).toBe(code);
    expect(response.json.error.message).toMatch(message);
    expect(await jobCount()).toBe(before);
    expect(await queuedMessages()).toBe(0);
  });

  it('401 without a key, with a malformed header and with an unknown key', async () => {
    const headerSets: Record<string, string>[] = [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer mo_not-a-real-key' }];
    for (const headers of headerSets) {
      const response = await apiClient(ctx.stack.url).call('GET', '/v1/jobs', undefined, headers);
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('unauthorized');
    }
    const post = await apiClient(ctx.stack.url, 'mo_wrong').post('/v1/jobs', { type: 'import', items: products(3) });
    expect(post.status).toBe(401);
    expect(await jobCount()).toBe(0);
  });

  it('404 for an unknown job, unknown product and unknown route', async () => {
    for (const path of [
      '/v1/jobs/00000000-0000-4000-8000-000000000000',
      '/v1/jobs/not-a-uuid',
      '/v1/jobs/00000000-0000-4000-8000-000000000000/failures',
      '/v1/products/NOPE',
      '/v1/products/bad%20sku',
      '/v1/nothing',
    ]) {
      const response = await ctx.api.get(path);
      expect(response.status, path).toBe(404);
      expect(response.json.error.code).toBe('not_found');
    }
  });

  it('400 for bad query parameters and cursors', async () => {
    for (const [path, message] of [
      ['/v1/jobs?type=delete', /^type: must be one of/],
      ['/v1/jobs?status=done', /^status: must be one of/],
      ['/v1/jobs?limit=0', /^limit: must be a whole number from 1 to 100/],
      ['/v1/jobs?limit=abc', /^limit: /],
      ['/v1/jobs?limit=101', /^limit: /],
      ['/v1/jobs?cursor=garbage', /^cursor: is not a valid cursor/],
      [`/v1/jobs?cursor=${Buffer.from(JSON.stringify({ pk: 'x', sk: 'JOB', gsi1pk: 'TENANT#other', gsi1sk: 'x' })).toString('base64url')}`, /^cursor: /],
    ] as const) {
      const response = await ctx.api.get(path);
      expect(response.status, path).toBe(400);
      expect(response.json.error.message).toMatch(message);
    }
  });
});

describe('tenants', () => {
  const ctx = useStack();

  it("tenant B cannot see tenant A's job, failures or products", async () => {
    const keyB = await ctx.stack.createApiKey('globex');
    const apiB = apiClient(ctx.stack.url, keyB);
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(5, 5, 'TEN') });
    await waitForJob(ctx.api, created.json.id);

    const asB = await apiB.get(`/v1/jobs/${created.json.id}`);
    const missing = await apiB.get('/v1/jobs/00000000-0000-4000-8000-000000000000');
    expect(asB.status).toBe(404);
    expect(asB.json.error.code).toBe(missing.json.error.code);
    expect((await apiB.get(`/v1/jobs/${created.json.id}/failures`)).status).toBe(404);
    expect((await apiB.get('/v1/products/TEN-00001')).status).toBe(404);
    expect((await apiB.get('/v1/jobs')).json.jobs).toEqual([]);
    expect((await ctx.api.get('/v1/products/TEN-00001')).status).toBe(200);
  });
});

describe('Idempotency-Key', () => {
  const ctx = useStack();

  it('racing requests with one key give one job; a replay answers 200 with it', async () => {
    const body = { type: 'import', items: products(40, 0, 'IDEM') };
    const headers = { 'idempotency-key': 'order-feed-2026-11-29' };
    const responses = await Promise.all(Array.from({ length: 5 }, () => ctx.api.post('/v1/jobs', body, headers)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
    expect(new Set(responses.map((r) => r.json.id)).size).toBe(1);
    const id = responses[0].json.id;
    expect(await waitForJob(ctx.api, id)).toMatchObject({ status: 'completed', total: 40, processed: 40, failed: 0 });

    const replay = await ctx.api.post('/v1/jobs', body, headers);
    expect(replay.status).toBe(200);
    expect(replay.json).toMatchObject({ id, status: 'completed', processed: 40 });
    expect(replay.headers.get('location')).toBe(`/v1/jobs/${id}`);
    expect((await ctx.api.get('/v1/jobs')).json.jobs).toHaveLength(1);
  });

  it('refuses the same key with a different body (409) and lets other tenants use it', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const first = await ctx.api.post('/v1/jobs', { type: 'export', items: [] }, headers);
    expect(first.status).toBe(202);
    const conflict = await ctx.api.post('/v1/jobs', { type: 'export', items: [{ sku: 'a' }] }, headers);
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBe('conflict');

    const other = apiClient(ctx.stack.url, await ctx.stack.createApiKey('initech'));
    const theirs = await other.post('/v1/jobs', { type: 'export', items: [] }, headers);
    expect(theirs.status).toBe(202);
    expect(theirs.json.id).not.toBe(first.json.id);
  });
});
