import { z } from 'zod';
import {
  createJobBodySchema,
  createUploadBodySchema,
  idempotencyKeySchema,
  listFailuresQuerySchema,
  listJobsQuerySchema,
  MAX_ITEMS_PER_REQUEST,
  retryBodySchema,
} from '@merchantops/core/jobs/job-schemas';
import { productInputSchema, skuSchema } from '@merchantops/core/products/product-schema';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS } from '@merchantops/core/webhooks/signature';
import { webhookImportBodySchema } from '@merchantops/core/webhooks/webhook-schemas';
import {
  downloadLinkSchema,
  errorSchema,
  failureListSchema,
  failureSchema,
  healthSchema,
  jobListSchema,
  jobSchema,
  jobSourceSchema,
  notificationListSchema,
  productSchema,
  uploadSchema,
} from '@merchantops/core/contract/response-schemas';

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas that
 * validate requests (jobs/job-schemas.ts, products/product-schema.ts) and
 * from the response schemas beside this file. Served at /openapi.json and
 * rendered at /docs.
 */

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown>; responses: Record<string, unknown> };
  security: Record<string, string[]>[];
};
export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required: boolean; description?: string; schema: JsonSchema };

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Named schemas, each generated once; nested ones become $refs. */
function componentSchemas(): Record<string, JsonSchema> {
  const generate = (io: 'input' | 'output', named: Record<string, z.ZodType>) => {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
    const { schemas } = z.toJSONSchema(registry, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      uri: (id) => `#/components/schemas/${id}`,
    });
    for (const schema of Object.values(schemas)) {
      delete (schema as JsonSchema).$schema;
      delete (schema as JsonSchema).$id;
      tidy(schema);
    }
    return schemas as Record<string, JsonSchema>;
  };
  const requests = generate('input', {
    CreateJobRequest: createJobBodySchema,
    RetryRequest: retryBodySchema,
    CreateUploadRequest: createUploadBodySchema,
    ProductInput: productInputSchema,
    WebhookImportRequest: webhookImportBodySchema,
  });
  describeProperties(requests.CreateJobRequest, {
    type: 'import, enrichment or export',
    items: `the items, at most ${MAX_ITEMS_PER_REQUEST} (import: products, see ProductInput; enrichment and export: {"sku"})`,
    source: 'import only: read the items from an uploaded file instead (POST /v1/uploads)',
    select: 'enrichment and export only: all stored products, or those missing some fields',
    dryRun: 'import only: validate and count, write nothing',
    format: 'export only: file format (csv by default)',
    callbackUrl: 'a signed callback is POSTed here when the job finishes',
    maxFailurePercent: 'fail the job once more than this share of its items has failed',
  });
  describeProperties(requests.RetryRequest, { reason: 'retry only the failed items with this reason (from failureSummary)' });
  describeProperties(requests.CreateUploadRequest, {
    filename: 'its extension (.csv, .jsonl, .ndjson) gives the format when format is not given',
    format: 'csv or jsonl',
  });
  const responses = generate('output', {
    Job: jobSchema,
    JobSource: jobSourceSchema,
    JobList: jobListSchema,
    Failure: failureSchema,
    FailureList: failureListSchema,
    Upload: uploadSchema,
    Product: productSchema,
    DownloadLink: downloadLinkSchema,
    NotificationList: notificationListSchema,
    Error: errorSchema,
    Health: healthSchema,
  });
  return { ...requests, ...responses };
}

/**
 * Drops what zod adds for completeness but a reader does not need: the regex
 * behind a `format` (uuid, date-time, uri) and the safe-integer bounds of `int()`.
 */
function tidy(node: unknown) {
  if (Array.isArray(node)) return node.forEach(tidy);
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  if (schema.format && schema.pattern) delete schema.pattern;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  Object.values(schema).forEach(tidy);
}

/** Adds descriptions to the properties of a generated request schema; a property that is gone is an error. */
function describeProperties(schema: JsonSchema | undefined, descriptions: Record<string, string>) {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, description] of Object.entries(descriptions)) {
    if (!properties[name]) throw new Error(`openapi: no property "${name}" to describe`);
    properties[name].description ??= description;
  }
}

/** Query parameters from a zod object schema: one parameter per field. */
function queryParameters(schema: z.ZodObject, descriptions: Record<string, string>): Parameter[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  tidy(json);
  const properties = json.properties as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema: property,
  }));
}

const inline = (schema: z.ZodType) => {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  tidy(json);
  return json;
};

const jobIdParameter: Parameter = { name: 'id', in: 'path', required: true, description: 'job id', schema: { type: 'string', format: 'uuid' } };
const idempotencyKeyParameter: Parameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'the same key again (same tenant, same body) returns the same job with 200 instead of creating another; remembered 24 hours',
  schema: inline(idempotencyKeySchema),
};
const ifNoneMatchParameter: Parameter = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'the ETag of the answer you have: 304 with no body when nothing changed (cheap polling)',
  schema: { type: 'string' },
};

const json = (schema: JsonSchema, description: string, extra: Record<string, unknown> = {}) => ({
  description,
  content: { 'application/json': { schema } },
  ...extra,
});
const etagHeader = { ETag: { description: 'validator for If-None-Match', schema: { type: 'string' } } };
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/E${status}` }]));
const ERROR_RESPONSES: Record<number, string> = {
  400: 'bad input; the message names the field',
  401: 'no or unknown API key',
  404: 'not found (also: another tenant’s)',
  409: 'conflict with the current state',
  413: 'too large',
  415: 'Content-Type is not application/json',
  503: 'stored, but could not be queued; see the message',
};

const download = (what: string): Record<string, unknown> => ({
  '302': {
    description: `redirect to a short-lived link to ${what}`,
    headers: { Location: { description: 'the link', schema: { type: 'string', format: 'uri' } } },
  },
  '200': json(ref('DownloadLink'), `with Accept: application/json, the link to ${what} as JSON instead of a redirect (for browsers, which cannot read a redirect's Location)`),
});

/** Webhook-triggered imports: signed with the tenant's webhook secret instead of an API key. */
function webhookImport(operationId: string, where: string, tenant: Parameter[]): Operation {
  return {
    operationId,
    summary: `Start an import from a webhook (${where})`,
    description: [
      `No API key: the request carries \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the tenant's webhook secret>\`, checked in constant time; the timestamp may be at most ${SIGNATURE_TOLERANCE_SECONDS} seconds away. Several v1 values are allowed (secret rotation).`,
      'The delivery id names one delivery: repeats of it return the job it created (200) instead of another one.',
    ].join('\n\n'),
    tags: ['Webhooks'],
    security: [],
    parameters: [
      ...tenant,
      { name: SIGNATURE_HEADER, in: 'header', required: true, description: 't=<unix seconds>,v1=<hex signature>', schema: { type: 'string' } },
      { name: 'MerchantOps-Delivery', in: 'header', required: true, description: 'id of this delivery, 1-200 printable characters', schema: { type: 'string' } },
    ],
    requestBody: { required: true, content: { 'application/json': { schema: ref('WebhookImportRequest') } } },
    responses: {
      '202': json(ref('Job'), 'the import job'),
      '200': json(ref('Job'), 'the job this delivery id already created'),
      ...errors(400, 401, 413),
    },
  };
}

const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

function paths(): OpenApiDocument['paths'] {
  const noAuth = { security: [] as Record<string, string[]>[] };
  return {
    '/v1/jobs': {
      post: {
        operationId: 'createJob',
        summary: 'Create a job',
        description: [
          'Starts an import, enrichment or export job. Give exactly one of `items`, `source` (import of an upload) or `select` (enrichment and export of stored products).',
          'Checks run in this order: key (401), body size (413), content type (415), JSON (400), item count and size (413), fields (400). Bad input is rejected before anything is written.',
        ].join('\n\n'),
        tags: ['Jobs'],
        parameters: [idempotencyKeyParameter],
        requestBody: { required: true, content: { 'application/json': { schema: ref('CreateJobRequest') } } },
        responses: {
          '202': json(ref('Job'), 'created; Location names the job', { headers: { Location: { schema: { type: 'string' } } } }),
          '200': json(ref('Job'), 'the job already created with this Idempotency-Key'),
          ...errors(400, 401, 409, 413, 415, 503),
        },
      },
      get: {
        operationId: 'listJobs',
        summary: 'List jobs, newest first',
        description: 'With filters, a page may hold fewer than `limit` jobs while `nextCursor` is not null: follow the cursor until it is.',
        tags: ['Jobs'],
        parameters: [
          ...queryParameters(listJobsQuerySchema, {
            type: 'only jobs of this type',
            status: 'only jobs with this status',
            limit: 'page size',
            cursor: "the previous page's nextCursor",
          }),
          ifNoneMatchParameter,
        ],
        responses: {
          '200': json(ref('JobList'), 'a page of jobs', { headers: etagHeader }),
          '304': { description: 'not modified since the ETag in If-None-Match' },
          ...errors(400, 401),
        },
      },
    },
    '/v1/jobs/{id}': {
      get: {
        operationId: 'getJob',
        summary: 'Read a job',
        tags: ['Jobs'],
        parameters: [jobIdParameter, ifNoneMatchParameter],
        responses: {
          '200': json(ref('Job'), 'the job', { headers: etagHeader }),
          '304': { description: 'not modified since the ETag in If-None-Match' },
          ...errors(401, 404),
        },
      },
    },
    '/v1/jobs/{id}/failures': {
      get: {
        operationId: 'listFailures',
        summary: 'The failed items of a job',
        description: 'By item index. With `format=csv`, a redirect to a CSV file of every failed row (the original columns plus `_index`, `_reason`, `_attempts`), ready to fix and import again.',
        tags: ['Jobs'],
        parameters: [
          jobIdParameter,
          ...queryParameters(listFailuresQuerySchema, {
            limit: 'page size',
            cursor: "the previous page's nextCursor",
            format: 'json: a page of failures; csv: a redirect to the whole list as a file',
          }),
        ],
        responses: {
          ...download('the failures CSV (format=csv)'),
          '200': {
            description: 'format=json: a page of failures. format=csv with Accept: application/json: the link to the file',
            content: { 'application/json': { schema: { oneOf: [ref('FailureList'), ref('DownloadLink')] } } },
          },
          ...errors(400, 401, 404),
        },
      },
    },
    '/v1/jobs/{id}/result': {
      get: {
        operationId: 'getJobResult',
        summary: 'Download the file of a completed export',
        tags: ['Jobs'],
        parameters: [jobIdParameter],
        responses: { ...download('the export file'), ...errors(401, 404, 409) },
      },
    },
    '/v1/jobs/{id}/cancel': {
      post: {
        operationId: 'cancelJob',
        summary: 'Cancel a queued or running job',
        description: 'Chunks not yet started are skipped; chunks already running still commit, so the counters stay exact.',
        tags: ['Jobs'],
        parameters: [jobIdParameter],
        responses: { '200': json(ref('Job'), 'the cancelled job'), ...errors(401, 404, 409) },
      },
    },
    '/v1/jobs/{id}/retry': {
      post: {
        operationId: 'retryJob',
        summary: 'Retry the failed items of a finished job',
        description: 'A new job over the failed items (optionally only those with one reason), linked both ways: `retryOf` on the new job, `retries` on the old one. The body is optional.',
        tags: ['Jobs'],
        parameters: [jobIdParameter, idempotencyKeyParameter],
        requestBody: { required: false, content: { 'application/json': { schema: ref('RetryRequest') } } },
        responses: {
          '202': json(ref('Job'), 'the new job'),
          '200': json(ref('Job'), 'the job already created with this Idempotency-Key'),
          ...errors(400, 401, 404, 409, 415),
        },
      },
    },
    '/v1/jobs/{id}/notifications': {
      get: {
        operationId: 'listNotifications',
        summary: 'The completion callback of a job and its delivery attempts',
        tags: ['Jobs'],
        parameters: [jobIdParameter],
        responses: { '200': json(ref('NotificationList'), 'empty when the job has no callbackUrl'), ...errors(401, 404) },
      },
    },
    '/v1/webhooks/imports': {
      post: webhookImport('webhookImport', 'the tenant in the MerchantOps-Tenant header', [
        { name: 'MerchantOps-Tenant', in: 'header', required: true, description: 'the tenant the import is for', schema: { type: 'string' } },
      ]),
    },
    '/v1/webhooks/imports/{tenant}': {
      post: webhookImport('webhookImportForTenant', 'the tenant in the path', [
        { name: 'tenant', in: 'path', required: true, description: 'the tenant the import is for', schema: { type: 'string' } },
      ]),
    },
    '/v1/uploads': {
      post: {
        operationId: 'createUpload',
        summary: 'Upload a CSV or JSON Lines file for an import',
        description: 'Answers a short-lived URL: PUT the file there (straight to storage, any size), then create an import job with `{"source": {"uploadId"}}`.',
        tags: ['Uploads'],
        requestBody: { required: true, content: { 'application/json': { schema: ref('CreateUploadRequest') } } },
        responses: { '201': json(ref('Upload'), 'where to PUT the file'), ...errors(400, 401, 415) },
      },
    },
    '/v1/products/{sku}': {
      get: {
        operationId: 'getProduct',
        summary: 'Read a stored product',
        tags: ['Products'],
        parameters: [{ name: 'sku', in: 'path', required: true, schema: inline(skuSchema) }],
        responses: { '200': json(ref('Product'), 'the product'), ...errors(401, 404) },
      },
    },
    '/health': {
      get: { operationId: 'health', summary: 'Liveness', tags: ['Service'], ...noAuth, responses: { '200': json(ref('Health'), 'up') } },
    },
    '/openapi.json': {
      get: {
        operationId: 'openApi',
        summary: 'This document',
        tags: ['Service'],
        ...noAuth,
        responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/docs': { get: { operationId: 'docs', summary: 'This document as a readable page', tags: ['Service'], ...noAuth, responses: { '200': html('HTML') } } },
    '/': {
      get: {
        operationId: 'jobsPage',
        summary: 'The Jobs page',
        description: 'Sign in with an API key; the page keeps it for the browser session only.',
        tags: ['Jobs page'],
        ...noAuth,
        responses: { '200': html('HTML') },
      },
    },
    '/assets/{file}': {
      get: {
        operationId: 'jobsPageAsset',
        summary: 'Script and styles of the Jobs page',
        tags: ['Jobs page'],
        ...noAuth,
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'the file' }, '304': { description: 'not modified' }, '404': { $ref: '#/components/responses/E404' } },
      },
    },
  };
}

let cached: OpenApiDocument | undefined;

/** The document (built once per process). */
export function openApiDocument(): OpenApiDocument {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'MerchantOps Jobs API',
      version: '1.0.0',
      description: [
        'Batch jobs over product data: import, enrichment and export.',
        'Everything under `/v1` needs `Authorization: Bearer <api key>`; the tenant comes from the key. Every error is `{"error": {"code", "message"}}`.',
        'Job reads answer an `ETag`: send it back as `If-None-Match` and an unchanged job (or list) is a `304` with no body, which keeps polling cheap.',
      ].join('\n\n'),
    },
    tags: [
      { name: 'Jobs', description: 'create, watch, retry and cancel jobs; failed items; export files' },
      { name: 'Uploads', description: 'large import files go straight to storage' },
      { name: 'Webhooks', description: 'imports triggered by a signed webhook' },
      { name: 'Products', description: 'stored products' },
      { name: 'Service', description: 'health and documentation' },
      { name: 'Jobs page', description: 'the browser page served by the API' },
    ],
    security: [{ apiKey: [] }],
    paths: paths(),
    components: {
      schemas: componentSchemas(),
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key, mo_ + 32 characters' } },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([status, description]) => [`E${status}`, json(ref('Error'), description)]),
      ),
    },
  };
  return cached;
}

/** Every operation with its method and path, in document order. */
export function operations(document: OpenApiDocument = openApiDocument()) {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}
