import type { MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';

/**
 * Conditional GETs for polling clients (the Jobs page, `merchantops jobs
 * watch`). The answer carries an ETag (a hash of its body); a client that
 * sends it back in If-None-Match gets `304` with no body while nothing has
 * changed. API Gateway + Lambda cannot hold a stream open (no SSE), so
 * cheap revalidation is how an idle page stays cheap.
 *
 * `private, no-cache`: only the browser may keep the answer, and it must
 * revalidate before using it; `Vary: Authorization` because the answer
 * depends on the tenant of the key.
 */
export function conditionalGet(): MiddlewareHandler {
  const tag = etag();
  return async (c, next) => {
    await tag(c, async () => {
      await next();
      if (c.req.method === 'GET' && c.res.ok) {
        c.res.headers.set('Cache-Control', 'private, no-cache');
        c.res.headers.append('Vary', 'Authorization');
      }
    });
  };
}

/**
 * Download endpoints answer `302` to a short-lived storage link. A browser's
 * fetch cannot read a redirect's Location (and following it cross-origin
 * needs CORS on the bucket), so a client that asks for JSON
 * (`Accept: application/json`) gets the link as `200 {"url", "method"}`
 * instead and navigates to it. Clients that do not ask still get the 302.
 */
export function downloadLinksAsJson(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.method !== 'GET' || c.res.status !== 302 || !wantsJson(c.req.header('accept'))) return;
    const url = c.res.headers.get('location');
    if (!url) return;
    c.res = new Response(JSON.stringify({ url, method: 'GET' }), {
      status: 200,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    });
    c.res.headers.delete('location');
  };
}

/** True when the client lists application/json (and not only through a wildcard). */
const wantsJson = (accept: string | undefined) => /(^|,)\s*application\/json\s*(;|,|$)/i.test(accept ?? '');
