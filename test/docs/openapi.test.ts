import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { openApiDocument, operations, type OpenApiDocument } from '@merchantops/functions/api/docs/openapi';
import type { jobSchema } from '@merchantops/core/contract/response-schemas';
import { JOB_STATUSES, JOB_TYPES } from '@merchantops/core/jobs/job';
import type { JobView } from '@merchantops/core/jobs/progress';
import { createApi } from '@merchantops/functions/api/app';
import { memoryDeps } from '@merchantops/core/adapters/memory/memory-deps';
import { products, uploadFile, useStack, waitForJob } from '../support/stack';

/** The document is generated from the routes the app declares. */
const document = openApiDocument(createApi(memoryDeps()));
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** Every `$ref` in a JSON value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

/** A validator of the document's own schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses). */
function schemaValidator(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi', components: doc.components });
  return (name: string, value: unknown) => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${name}`)!;
    const ok = validate(value);
    return ok ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with complete operations and resolvable references', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });

    const ids = new Set<string>();
    for (const [path, item] of Object.entries(document.paths)) {
      expect(path).toMatch(/^\//);
      for (const [method, operation] of Object.entries(item)) {
        expect(METHODS).toContain(method);
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
        expect(ids.has(operation.operationId), `duplicate operationId ${operation.operationId}`).toBe(false);
        ids.add(operation.operationId);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        for (const status of Object.keys(operation.responses)) expect(status).toMatch(/^[1-5]\d\d$/);
        // every {param} of the path is declared as a path parameter, and nothing else is
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
        expect(declared, `${method} ${path}`).toEqual(inPath);
        expect(operation.tags.every((tag) => document.tags.some((t) => t.name === tag))).toBe(true);
      }
    }

    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const [, section, name] = ref.match(/^#\/components\/(schemas|responses)\/(.+)$/) ?? [];
      expect(section, ref).toBeDefined();
      expect((document.components as Record<string, Record<string, unknown>>)[section][name], ref).toBeDefined();
    }
  });

  it('has schemas that are valid JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    expect(() => ajv.compile({ components: document.components })).not.toThrow();
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      expect(() => ajv.compile({ ...schema, $defs: undefined, components: document.components }), name).not.toThrow();
    }
  });

  it('documents the request rules from the schemas that validate requests', () => {
    const create = document.components.schemas.CreateJobRequest as any;
    expect(create.properties.type.enum).toEqual([...JOB_TYPES]);
    expect(create.required).toEqual(['type']);
    expect(create.properties.maxFailurePercent).toMatchObject({ minimum: 0, maximum: 100 });
    const list = document.paths['/v1/jobs'].get.parameters!;
    expect(list.find((p) => p.name === 'status')?.schema.enum).toEqual([...JOB_STATUSES]);
    expect(list.find((p) => p.name === 'limit')?.schema).toMatchObject({ minimum: 1, maximum: 100, default: 20 });
    const product = document.components.schemas.ProductInput as any;
    expect(product.required).toEqual(['sku', 'title', 'price']);
  });

  it('describes exactly the fields of a job as the API builds it (jobView)', () => {
    type Documented = z.output<typeof jobSchema>;
    // Same field names both ways, and every value jobView returns fits the documented type.
    expectTypeOf<Exclude<keyof JobView, keyof Documented>>().toEqualTypeOf<never>();
    expectTypeOf<Exclude<keyof Documented, keyof JobView>>().toEqualTypeOf<never>();
    expectTypeOf<JobView>().toExtend<Documented>();
  });
});

describe('the app and its documentation', () => {
  const ctx = useStack();

  it('documents every route of the app, and nothing that is not one', () => {
    const app = createApi(ctx.stack.deps);
    const routes = new Set(
      app.routes
        .filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')}`),
    );
    const documented = new Set(operations(document).map(({ method, path }) => `${method} ${path}`));
    expect([...routes].filter((route) => !documented.has(route)), 'routes without documentation').toEqual([]);
    expect([...documented].filter((route) => !routes.has(route)), 'documented routes that do not exist').toEqual([]);
  });

  it('serves the document at /openapi.json and a self-contained page at /docs', async () => {
    const json = await fetch(`${ctx.stack.url}/openapi.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
    const served = await json.json();
    expect(served).toEqual({ ...JSON.parse(JSON.stringify(document)), servers: [{ url: ctx.stack.url }] });

    const page = await fetch(`${ctx.stack.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    for (const { method, path, operation } of operations(document)) {
      expect(html).toContain(`id="op-${operation.operationId}"`);
      expect(html).toContain(`${method}</span> <code>${path}</code>`);
    }
    for (const name of Object.keys(document.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
    // nothing from elsewhere: no scripts, stylesheets, images or fonts by URL
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
  });

  it('describes what the API really answers', async () => {
    const check = schemaValidator(document);
    const expectValid = (name: string, value: unknown) => expect(check(name, value), `${name}: ${JSON.stringify(value)}`).toEqual([]);

    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(30, 10, 'DOC') });
    expect(created.status).toBe(202);
    expectValid('Job', created.json);
    const job = await waitForJob(ctx.api, created.json.id);
    expectValid('Job', job);
    expectValid('JobList', (await ctx.api.get('/v1/jobs?limit=5')).json);
    expectValid('FailureList', (await ctx.api.get(`/v1/jobs/${job.id}/failures?limit=2`)).json);
    expectValid('Product', (await ctx.api.get('/v1/products/DOC-00001')).json);
    expectValid('NotificationList', (await ctx.api.get(`/v1/jobs/${job.id}/notifications`)).json);
    expectValid('Health', (await ctx.api.get('/health')).json);

    const upload = await ctx.api.post('/v1/uploads', { filename: 'products.csv' });
    expectValid('Upload', upload.json);
    await uploadFile(ctx.api, 'more.jsonl', '{"sku":"DOC-X","title":"X","price":1}\n');
    const planned = await ctx.api.post('/v1/jobs', { type: 'export', select: { all: true }, format: 'jsonl' });
    expectValid('Job', planned.json);
    const exported = await waitForJob(ctx.api, planned.json.id);
    expectValid('Job', exported);
    const link = await ctx.api.call('GET', `/v1/jobs/${exported.id}/result`, undefined, { accept: 'application/json' });
    expectValid('DownloadLink', link.json);

    const retried = await ctx.api.post(`/v1/jobs/${job.id}/retry`, { reason: job.failureSummary[0].reason });
    expectValid('Job', retried.json);

    for (const error of [
      await ctx.api.post('/v1/jobs', { type: 'nope', items: [] }),
      await ctx.api.get('/v1/jobs/00000000-0000-4000-8000-000000000000'),
      await fetch(`${ctx.stack.url}/v1/jobs`).then(async (r) => ({ json: await r.json() })),
    ]) {
      expectValid('Error', error.json);
    }
  });
});
