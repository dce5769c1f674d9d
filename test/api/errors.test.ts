import { describe, expect, it } from 'vitest';
import { apiClient, products, useStack, waitForJob } from '../support/stack';

// Request validation, 401s, 404s and tenant isolation run through app.request() on the in-memory
// ports (packages/functions/src/api/app.test.ts). What needs the real stack stays here.

describe('API on the real tables: foreign cursors, racing Idempotency-Keys', () => {
  const ctx = useStack();

  it("400 for a cursor that points into another tenant's partition", async () => {
    const foreign = Buffer.from(JSON.stringify({ pk: 'x', sk: 'JOB', gsi1pk: 'TENANT#other', gsi1sk: 'x' })).toString('base64url');
    const response = await ctx.api.get(`/v1/jobs?cursor=${foreign}`);
    expect(response.status).toBe(400);
    expect(response.json.error.message).toMatch(/^cursor: /);
  });

  // Idempotency-Key: racing requests decided by DynamoDB's conditional writes.
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
