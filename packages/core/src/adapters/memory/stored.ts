import { badRequest } from '../../shared/errors';

/**
 * A value as a table would give it back: a deep copy (no caller shares a
 * stored object) without undefined fields, as the DynamoDB document client
 * writes with removeUndefinedValues.
 */
export function stored<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(stored) as T;
  if (value instanceof Set) return new Set([...value].map(stored)) as T;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) copy[key] = stored(field);
  return copy as T;
}

/**
 * Opaque cursors of the in-memory stores: where to go on from, bound to the
 * partition read (a tenant, a job), so a cursor cannot read another one's data.
 */
export const memoryCursor = {
  encode: (scope: string, at: Record<string, string | number>) => Buffer.from(JSON.stringify({ scope, ...at })).toString('base64url'),
  decode(cursor: string | undefined, scope: string): Record<string, unknown> | undefined {
    if (cursor === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw badRequest('cursor: is not a valid cursor');
    }
    if (typeof value !== 'object' || value === null || (value as { scope?: unknown }).scope !== scope) {
      throw badRequest('cursor: is not a valid cursor');
    }
    return value as Record<string, unknown>;
  },
};

/** DynamoDB orders sort keys by their UTF-8 bytes. */
export const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
