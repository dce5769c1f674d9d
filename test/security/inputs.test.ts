import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '@merchantops/core/webhooks/signature';
import { products, useStack, waitForJob } from '../support/stack';

/** `depth` nested arrays around a product, as JSON text (built as text: no deep recursion here). */
const nested = (depth: number, inner = '{"sku":"DEEP"}') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('any JSON the body limit admits gets a 4xx at worst', () => {
  const ctx = useStack();
  let secret: string;
  beforeAll(async () => {
    secret = await ctx.stack.rotateWebhookSecret('acme');
  });

  const raw = (path: string, body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
    fetch(ctx.stack.url + path, {
      method: 'POST',
      headers: { ...ctx.api.headers, 'content-type': contentType, ...headers },
      body,
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));

  it('refuses an item nested 5,000 deep with 400 (was a 500), on every JSON route', async () => {
    const deepItem = `{"type":"import","items":[${nested(5000)}]}`;
    const delivery = randomUUID();
    const webhookBody = `{"products":[${nested(5000)}]}`;
    const answers = [
      await raw('/v1/jobs', deepItem),
      await raw('/v1/jobs', nested(100_000, '1')),
      await raw('/v1/uploads', `{"filename":${nested(5000, '"a.csv"')}}`),
      await raw('/v1/webhooks/imports/acme', webhookBody, 'application/json', {
        'merchantops-delivery': delivery,
        'merchantops-signature': signatureHeader([secret], Math.floor(Date.now() / 1000), webhookBody, delivery),
      }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.json.error).toEqual({ code: 'bad_request', message: 'body: nests arrays and objects deeper than 64 levels' });
    }
    expect((await ctx.api.get('/v1/jobs')).json.jobs).toEqual([]);
  });

  it('never answers 5xx to odd but well-formed JSON', async () => {
    const bodies = [
      nested(60),
      `{"type":"import","items":[${nested(40)}]}`,
      `{"type":"import","items":[{"sku":"A","price":1e400}]}`,
      `{"type":"import","items":[{"sku":"A","__proto__":{"admin":true},"constructor":{"prototype":1}}]}`,
      `{"__proto__":{"type":"import"},"items":[]}`,
      `{"type":"import","items":[{"sku":"\\u0000\\ud800","title":"${'x'.repeat(300_000)}"}]}`,
      `{"type":"import","items":[${Array.from({ length: 2000 }, () => '{}').join(',')}]}`,
      `{"type":"export","select":{"all":true,"missing":${nested(50, '"title"')}}}`,
      '"just a string"',
      'null',
      '[]',
      '{"type":"import","items":[1,"two",null,true,[],{}]}',
      '{"type":"import","items":[{"sku":"A","tags":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{}}}}}}}}}}}}]}',
    ];
    for (const body of bodies) {
      const answer = await raw('/v1/jobs', body);
      expect(answer.status, body.slice(0, 80)).toBeLessThan(500);
      if (answer.status >= 400) expect(Object.keys(answer.json.error).sort(), body.slice(0, 80)).toEqual(['code', 'message']);
    }
  });

  it('takes only application/json (optionally ; charset=utf-8) as JSON: anything else is 415', async () => {
    const body = JSON.stringify({ type: 'import', items: [] });
    for (const type of [
      'application/evil+json',
      'application/json-patch',
      'application/json-patch+json',
      'application/jsonx',
      'application/vnd.api+json',
      'text/json',
      'text/plain',
      'application/json; charset=latin1',
      'application/json, text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const answer = await raw('/v1/jobs', body, type);
      expect(answer.status, type).toBe(415);
      expect(answer.json.error).toEqual({ code: 'unsupported_media_type', message: 'Content-Type must be application/json' });
    }
    for (const type of ['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'application/json;charset=UTF-8']) {
      expect((await raw('/v1/jobs', body, type)).status, type).toBe(202);
    }
  });

  it('finds failure reasons only among the job own reasons, never on the prototype (no empty retry job)', async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(4, 2, 'PROTO') });
    const job = await waitForJob(ctx.api, created.json.id);
    expect(job.failed).toBe(2);
    for (const reason of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const retry = await ctx.api.post(`/v1/jobs/${job.id}/retry`, { reason });
      expect(retry.status, reason).toBe(400);
      expect(retry.json.error.message).toBe(`reason: job ${job.id} has no failed items with this reason`);
    }
    expect((await ctx.api.get(`/v1/jobs/${job.id}`)).json.retries ?? []).toEqual([]);
  });
});
