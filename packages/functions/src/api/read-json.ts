import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, badRequest } from '@merchantops/core/shared/errors';

/** The request body as JSON: 415 when it is not JSON, 400 when it does not parse. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Content-Type must be application/json', 415);
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('body: is not valid JSON');
  }
}

/** Parses with a schema; the first problem names its field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : where;
  throw badRequest(`${field}: ${issue.message}`);
}
