import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, badRequest } from '@merchantops/core/shared/errors';

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
  const issue = result.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : where;
  throw badRequest(`${field}: ${issue.message}`);
}
