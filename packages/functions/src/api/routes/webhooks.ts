import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { createJob } from '@merchantops/core/jobs/create-job';
import { jobView } from '@merchantops/core/jobs/progress';
import { createHash } from 'node:crypto';
import {
  parseSignatureHeader,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  V1_ACCEPTED_UNTIL,
  verifySignatureForm,
} from '@merchantops/core/webhooks/signature';
import { activeSecrets } from '@merchantops/core/webhooks/tenant-settings';
import { TENANT_PATTERN } from '@merchantops/core/tenants/api-key';
import { AppError, badRequest } from '@merchantops/core/shared/errors';
import type { Deps } from '@merchantops/core/deps';
import { parseJsonBody } from '../read-json';
import { checkSize } from '../check-size';
import { errors, json, jsonBody, requests, responses } from '../docs/openapi';

/** One answer for every signature problem, so a caller learns nothing about which check failed. */
const unauthorized = () => new AppError('unauthorized', 'missing or invalid webhook signature', 401);

type WebhookEnv = { Variables: { tenantId: string; deliveryId: string } };

/** Webhook-triggered imports: signed with the tenant's webhook secret instead of an API key. */
const webhookImport = <P extends z.ZodObject>(path: string, operationId: string, where: string, tenant: { params?: P; headers?: z.ZodObject }) =>
  createRoute({
    method: 'post',
    path,
    operationId,
    summary: `Start an import from a webhook (${where})`,
    description: [
      `No API key: the request carries \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the tenant's webhook secret>\`, checked in constant time; the timestamp may be at most ${SIGNATURE_TOLERANCE_SECONDS} seconds away. Several v1 values are allowed (secret rotation).`,
      'The delivery id names one delivery: repeats of it return the job it created (200) instead of another one.',
    ].join('\n\n'),
    tags: ['Webhooks'],
    security: [],
    request: {
      ...(tenant.params ? { params: tenant.params } : {}),
      headers: (tenant.headers ?? z.object({})).extend({
        [SIGNATURE_HEADER]: z.string().openapi({ description: 't=<unix seconds>,v1=<hex signature>' }),
        'MerchantOps-Delivery': z.string().openapi({ description: 'id of this delivery, 1-200 printable characters' }),
      }),
      body: jsonBody(requests.WebhookImportRequest),
    },
    responses: {
      202: json(responses.Job, 'the import job'),
      200: json(responses.Job, 'the job this delivery id already created'),
      ...errors(400, 401, 409, 413),
    },
  });

const tenantNote = { description: 'the tenant the import is for' };
const byHeader = webhookImport('/imports', 'webhookImport', 'the tenant in the MerchantOps-Tenant header', {
  headers: z.object({ 'MerchantOps-Tenant': z.string().openapi(tenantNote) }),
});
const byPath = webhookImport('/imports/{tenant}', 'webhookImportForTenant', 'the tenant in the path', {
  params: z.object({ tenant: z.string().openapi(tenantNote) }),
});

/**
 * Webhook-triggered imports. No API key: the request is authenticated by its
 * HMAC signature with the tenant's webhook secret, over the raw body bytes.
 * The tenant named in the header or path is trusted only once that signature verifies.
 */
export function webhookRoutes(deps: Deps) {
  const routes = new OpenAPIHono<WebhookEnv>();

  /**
   * Route middleware, before the route's validators: signature (401), delivery id (400),
   * JSON (400) and product count and size (413), in this order; the route's schemas then
   * check the fields (400) of the body parsed here.
   */
  const verify: MiddlewareHandler<WebhookEnv> = async (c, next) => {
    const tenantId = c.req.param('tenant') ?? c.req.header('merchantops-tenant') ?? '';
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const settings = TENANT_PATTERN.test(tenantId) ? await deps.keys.settings(tenantId) : undefined;
    const now = deps.now();
    const delivery = c.req.header('merchantops-delivery');
    const validDelivery = delivery !== undefined && /^[\x21-\x7e]{1,200}$/.test(delivery) ? delivery : undefined;
    const header = c.req.header(SIGNATURE_HEADER);
    const form = verifySignatureForm(activeSecrets(settings, now), header, raw, Math.floor(now.getTime() / 1000), {
      deliveryId: validDelivery,
      acceptV1: now < V1_ACCEPTED_UNTIL,
    });
    if (!form) throw unauthorized();
    if (!validDelivery) {
      throw badRequest('MerchantOps-Delivery: a delivery id header (1-200 printable characters) is required');
    }
    // A v1 signature does not cover the delivery id, so a captured request could be
    // replayed under a new one: its signed content (timestamp and body) may only ever
    // name one delivery. v2 requests record theirs too, as their header may also carry v1.
    const firstDelivery = await claimSignedContent(deps, tenantId, parseSignatureHeader(header)!.timestamp, raw, validDelivery);
    if (form === 'v1' && firstDelivery !== validDelivery) {
      throw new AppError('conflict', 'this signed request was already received with another delivery id; sign every delivery anew', 409);
    }
    const body = parseJsonBody(Buffer.from(raw).toString('utf8'));
    checkSize((body as { products?: unknown })?.products, 'products');
    // The signed bytes are JSON whatever the sender's Content-Type says: the route's validator reads them as such.
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
      const headers = new Headers(c.req.raw.headers);
      headers.set('content-type', 'application/json');
      c.req.raw = new Request(c.req.url, { method: c.req.method, headers });
    }
    c.set('tenantId', tenantId);
    c.set('deliveryId', validDelivery);
    await next();
  };

  const receive = async (c: Context<WebhookEnv>, input: z.output<typeof requests.WebhookImportRequest>) => {
    const deliveryId = c.get('deliveryId');
    const result = await createJob(
      deps,
      c.get('tenantId'),
      {
        type: 'import',
        ...('products' in input ? { items: input.products } : { source: { uploadId: input.uploadId } }),
        ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
      },
      // A delivery id names one delivery: its repeats return the job it created. The space
      // keeps these keys apart from API Idempotency-Keys, which cannot contain one.
      `webhook ${deliveryId}`,
    ).catch((error) => {
      if (error instanceof AppError && error.code === 'conflict') {
        throw new AppError('conflict', 'MerchantOps-Delivery: this delivery id was already used with a different body', 409);
      }
      throw error;
    });
    c.header('Location', `/v1/jobs/${result.job.id}`);
    return result.created ? c.json(jobView(result.job), 202) : c.json(jobView(result.job), 200);
  };
  routes.openapi({ ...byHeader, middleware: [verify] }, (c) => receive(c, c.req.valid('json')));
  routes.openapi({ ...byPath, middleware: [verify] }, (c) => receive(c, c.req.valid('json')));
  return routes;
}

/** The delivery id this signed content (timestamp and body) was first received with. */
function claimSignedContent(deps: Deps, tenantId: string, timestamp: number, raw: Uint8Array, deliveryId: string) {
  const digest = createHash('sha256').update(`${timestamp}.`).update(raw).digest('hex');
  // Kept past the end of the window in which the timestamp still verifies.
  return deps.keys.claimSignedContent(tenantId, digest, deliveryId, timestamp + SIGNATURE_TOLERANCE_SECONDS + 60);
}
