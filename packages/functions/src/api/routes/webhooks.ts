import { Hono } from 'hono';
import { createJob } from '@merchantops/core/jobs/create-job';
import { jobView } from '@merchantops/core/jobs/progress';
import { webhookImportBodySchema } from '@merchantops/core/webhooks/webhook-schemas';
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
import { parseJsonBody, parseWith } from '../read-json';
import { checkSize } from '../check-size';

/** One answer for every signature problem, so a caller learns nothing about which check failed. */
const unauthorized = () => new AppError('unauthorized', 'missing or invalid webhook signature', 401);

/**
 * Webhook-triggered imports. No API key: the request is authenticated by its
 * HMAC signature with the tenant's webhook secret, over the raw body bytes.
 * The tenant named in the header or path is trusted only once that signature verifies.
 */
export function webhookRoutes(deps: Deps) {
  const routes = new Hono();
  const receive = async (c: import('hono').Context, tenantFromPath?: string) => {
    const tenantId = tenantFromPath ?? c.req.header('merchantops-tenant') ?? '';
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
    const input = parseWith(webhookImportBodySchema, body, 'body');
    const result = await createJob(
      deps,
      tenantId,
      {
        type: 'import',
        ...('products' in input ? { items: input.products } : { source: { uploadId: input.uploadId } }),
        ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
      },
      // A delivery id names one delivery: its repeats return the job it created. The space
      // keeps these keys apart from API Idempotency-Keys, which cannot contain one.
      `webhook ${validDelivery}`,
    ).catch((error) => {
      if (error instanceof AppError && error.code === 'conflict') {
        throw new AppError('conflict', 'MerchantOps-Delivery: this delivery id was already used with a different body', 409);
      }
      throw error;
    });
    c.header('Location', `/v1/jobs/${result.job.id}`);
    return c.json(jobView(result.job), result.created ? 202 : 200);
  };
  routes.post('/imports', (c) => receive(c));
  routes.post('/imports/:tenant', (c) => receive(c, c.req.param('tenant')));
  return routes;
}

/** The delivery id this signed content (timestamp and body) was first received with. */
function claimSignedContent(deps: Deps, tenantId: string, timestamp: number, raw: Uint8Array, deliveryId: string) {
  const digest = createHash('sha256').update(`${timestamp}.`).update(raw).digest('hex');
  // Kept past the end of the window in which the timestamp still verifies.
  return deps.keys.claimSignedContent(tenantId, digest, deliveryId, timestamp + SIGNATURE_TOLERANCE_SECONDS + 60);
}
