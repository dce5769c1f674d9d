import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { AppError, badRequest } from '@merchantops/core/shared/errors';
import { checkSize } from './check-size';

/** What counts as JSON: `application/json`, optionally with `; charset=utf-8`, nothing else. */
const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Deepest nesting of arrays and objects a body may have. Far above what any
 * request needs (an item is limited to 30 levels; see limits/storable.ts),
 * and far below what could exhaust the stack of the code that walks it.
 */
export const MAX_JSON_DEPTH = 64;

/** The request body as JSON: 415 when it is not JSON, 400 when it does not parse or nests too deep. */
export async function readJson(c: Context): Promise<unknown> {
  if (!JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new AppError('unsupported_media_type', 'Content-Type must be application/json', 415);
  }
  return parseJsonBody(await c.req.text());
}

/** Parses a JSON body, refusing one nested deeper than MAX_JSON_DEPTH before parsing it (400). */
export function parseJsonBody(text: string): unknown {
  if (nestingDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw badRequest(`body: nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('body: is not valid JSON');
  }
}

/** True when brackets outside strings open deeper than `max`; one pass, no parsing. */
function nestingDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}

/** Parses with a schema; the first problem names its field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(result.error, where);
}

/** A 400 naming the field of the first problem (`items: must be an array`), or `where` for the value itself. */
export function invalid(error: z.ZodError, where: string) {
  const issue = error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : where;
  return badRequest(`${field}: ${issue.message}`);
}

type JsonBodyRoute = { request?: { body?: { required?: boolean; content: Record<string, { schema?: unknown }> } } };

/**
 * Route middleware for a JSON body, in front of the route's validators:
 * 415 for another Content-Type, 400 for a body that nests too deep or does
 * not parse, 413 for too many or too large items in `sizeField`, then 400
 * for the first field the route's own body schema rejects, so these answers
 * keep their order (and come before the route's header checks). The route's
 * validator then checks the same body with the same schema and hands the
 * handler its output. An optional body may be empty: it is then `{}`.
 */
export function readBody(route: JsonBodyRoute, sizeField?: string): MiddlewareHandler {
  const body = route.request?.body;
  const schema = body?.content['application/json']?.schema as z.ZodType | undefined;
  if (!schema) throw new Error('readBody: the route declares no application/json body');
  return async (c, next) => {
    const empty = !body!.required && (await c.req.text()).trim() === '';
    if (empty) {
      // No body, whatever its Content-Type: the route's validator then takes it as {} too.
      const headers = new Headers(c.req.raw.headers);
      headers.delete('content-type');
      c.req.raw = new Request(c.req.url, { method: c.req.method, headers });
    }
    const value = empty ? {} : await readJson(c);
    if (sizeField) checkSize((value as Record<string, unknown> | null)?.[sizeField], sizeField);
    parseWith(schema, value, 'body');
    await next();
  };
}
