import { badRequest } from '@merchantops/core/shared/errors';

type Key = Record<string, unknown>;

/** Opaque pagination cursor: the DynamoDB key to continue from. */
export const encodeCursor = (key: Key | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;

/**
 * Decodes a cursor and checks it points into the partition being read, so a
 * cursor cannot be used to read another tenant's or job's data.
 */
export function decodeCursor(
  cursor: string | undefined,
  keyNames: readonly string[],
  expect: Key,
): Key | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor: is not a valid cursor');
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    Object.keys(key).sort().join() === [...keyNames].sort().join() &&
    Object.values(key).every((v) => typeof v === 'string') &&
    Object.entries(expect).every(([name, value]) => (key as Key)[name] === value);
  if (!valid) throw badRequest('cursor: is not a valid cursor');
  return key as Key;
}
