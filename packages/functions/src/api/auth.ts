import type { MiddlewareHandler } from 'hono';
import { hashApiKey } from '@merchantops/core/tenants/api-key';
import { AppError } from '@merchantops/core/shared/errors';
import type { KeyStore } from '@merchantops/core/ports';

export type AuthEnv = { Variables: { tenantId: string } };

/** Bearer API key -> tenant. The tenant never comes from the request itself. */
export const requireApiKey =
  (keys: KeyStore): MiddlewareHandler<AuthEnv> =>
  async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match) throw new AppError('unauthorized', 'missing API key: send Authorization: Bearer <key>', 401);
    const tenantId = await keys.tenantOf(hashApiKey(match[1]));
    if (!tenantId) throw new AppError('unauthorized', 'unknown API key', 401);
    c.set('tenantId', tenantId);
    await next();
  };
