import { z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  createJobBodySchema,
  createUploadBodySchema,
  retryBodySchema,
} from '@merchantops/core/jobs/job-schemas';
import { MAX_ITEMS_PER_REQUEST } from '@merchantops/core/config';
import { productInputSchema } from '@merchantops/core/products/product-schema';
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
 * The OpenAPI 3.1 document of the API. Every route is declared once, with
 * `createRoute` from @hono/zod-openapi (routes/*.ts): its request schemas
 * validate the request and, with its responses, become its entry here.
 * This file holds what the routes share (named schemas, error responses)
 * and turns the app's registry into the document served at /openapi.json
 * and rendered at /docs.
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

/**
 * `schema.openapi(...)` for any schema. zod copies prototype methods onto a
 * schema when it is made, so one made before @hono/zod-openapi extended zod
 * (core's, depending on the order of imports) has no `.openapi` of its own.
 * Like `.openapi`, it answers a copy that validates the same way.
 */
export function openapi<S extends z.ZodType>(schema: S, ...args: [refId: string] | [metadata: Record<string, unknown>]): S {
  return (z.ZodType.prototype.openapi as (...args: unknown[]) => S).apply(schema, args);
}

/** Request schemas under their document names: the routes validate with these very schemas. */
export const requests = {
  CreateJobRequest: openapi(createJobBodySchema, 'CreateJobRequest'),
  RetryRequest: openapi(retryBodySchema, 'RetryRequest'),
  CreateUploadRequest: openapi(createUploadBodySchema, 'CreateUploadRequest'),
  WebhookImportRequest: openapi(webhookImportBodySchema, 'WebhookImportRequest'),
};

/** Response schemas under their document names. */
export const responses = {
  Job: openapi(jobSchema, 'Job'),
  JobList: openapi(jobListSchema, 'JobList'),
  FailureList: openapi(failureListSchema, 'FailureList'),
  Upload: openapi(uploadSchema, 'Upload'),
  Product: openapi(productSchema, 'Product'),
  DownloadLink: openapi(downloadLinkSchema, 'DownloadLink'),
  NotificationList: openapi(notificationListSchema, 'NotificationList'),
  Error: openapi(errorSchema, 'Error'),
  Health: openapi(healthSchema, 'Health'),
};

/** Named for readers though no route uses them whole: an import item, a job's source, one failure. */
const alsoNamed = {
  ProductInput: openapi(productInputSchema, 'ProductInput'),
  JobSource: openapi(jobSourceSchema, 'JobSource'),
  Failure: openapi(failureSchema, 'Failure'),
};

/** Descriptions of request fields (the request schemas live in core, which knows nothing of documents). */
const FIELD_NOTES: Record<string, Record<string, string>> = {
  CreateJobRequest: {
    type: 'import, enrichment or export',
    items: `the items, at most ${MAX_ITEMS_PER_REQUEST} (import: products, see ProductInput; enrichment and export: {"sku"})`,
    source: 'import only: read the items from an uploaded file instead (POST /v1/uploads)',
    select: 'enrichment and export only: all stored products, or those missing some fields',
    dryRun: 'import only: validate and count, write nothing',
    format: 'export only: file format (csv by default)',
    callbackUrl: 'a signed callback is POSTed here when the job finishes',
    maxFailurePercent: 'fail the job once more than this share of its items has failed',
  },
  RetryRequest: { reason: 'retry only the failed items with this reason (from failureSummary)' },
  CreateUploadRequest: {
    filename: 'its extension (.csv, .jsonl, .ndjson) gives the format when format is not given',
    format: 'csv or jsonl',
  },
};

/** The fields of a plain object schema (query, path, headers), each with its description for the document. */
export function described<T extends z.ZodRawShape>(schema: z.ZodObject<T>, notes: Partial<Record<keyof T & string, string>>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => {
      const note = notes[name as keyof T & string];
      return [name, note ? openapi(field as z.ZodType, { description: note }) : field];
    }),
  ) as T;
  return z.object(shape);
}

/** A JSON response of a named (or inline) schema. */
export const json = <S extends z.ZodType, E extends object = {}>(schema: S, description: string, extra?: E) => ({
  description,
  content: { 'application/json': { schema } },
  ...(extra as E),
});
/** A JSON request body of a named schema. */
export const jsonBody = <S extends z.ZodType>(schema: S, required = true) => ({ required, content: { 'application/json': { schema } } });
export const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

const ERROR_RESPONSES: Record<number, string> = {
  400: 'bad input; the message names the field',
  401: 'no or unknown API key',
  404: 'not found (also: another tenant’s)',
  409: 'conflict with the current state',
  413: 'too large',
  415: 'Content-Type is not application/json',
  503: 'stored, but could not be queued; see the message',
};
/** References to the shared error responses. */
export const errors = (...statuses: (keyof typeof ERROR_RESPONSES)[]) =>
  Object.fromEntries(statuses.map((status) => [status, { $ref: `#/components/responses/E${status}` }])) as Record<number, { $ref: string }>;

export const etagHeader = { ETag: { description: 'validator for If-None-Match', schema: { type: 'string' as const } } };
export const ifNoneMatch = z
  .string()
  .optional()
  .openapi({ description: 'the ETag of the answer you have: 304 with no body when nothing changed (cheap polling)' });
export const notModified = { description: 'not modified since the ETag in If-None-Match' };
/** Open routes: no API key. */
export const noAuth = { security: [] as Record<string, string[]>[] };

/** Download endpoints: a 302 to a short-lived link, or the link as JSON for Accept: application/json. */
export const download = (what: string) => ({
  302: {
    description: `redirect to a short-lived link to ${what}`,
    headers: { Location: { description: 'the link', schema: { type: 'string' as const, format: 'uri' } } },
  },
  200: json(
    responses.DownloadLink,
    `with Accept: application/json, the link to ${what} as JSON instead of a redirect (for browsers, which cannot read a redirect's Location)`,
  ),
});

const DOCUMENT = {
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
};

const documents = new WeakMap<OpenAPIHono<any>, OpenApiDocument>();

/** The document of an app built by createApi (generated once per app). */
export function openApiDocument(app: OpenAPIHono<any>): OpenApiDocument {
  let document = documents.get(app);
  if (document) return document;
  const registry = app.openAPIRegistry;
  // Every named schema, also those only referenced by hand (Error, from the error responses).
  for (const [name, schema] of Object.entries({ ...requests, ...responses, ...alsoNamed })) registry.register(name, schema);
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API key, mo_ + 32 characters',
  });
  for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
    registry.registerComponent('responses', `E${status}`, {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
  }
  document = app.getOpenAPI31Document(DOCUMENT as Parameters<typeof app.getOpenAPI31Document>[0]) as unknown as OpenApiDocument;
  tidy(document);
  for (const [name, notes] of Object.entries(FIELD_NOTES)) describeProperties(name, document.components.schemas[name], notes);
  documents.set(app, document);
  return document;
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
function describeProperties(name: string, schema: JsonSchema | undefined, descriptions: Record<string, string>) {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  for (const [property, description] of Object.entries(descriptions)) {
    if (!properties[property]) throw new Error(`openapi: ${name} has no property "${property}" to describe`);
    properties[property].description ??= description;
  }
}

/** Every operation with its method and path, in document order. */
export function operations(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}
