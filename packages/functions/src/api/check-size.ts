import { MAX_ITEMS_PER_REQUEST } from '@merchantops/core/config';
import { MAX_ITEM_BYTES } from '@merchantops/core/jobs/job-schemas';
import { tooLarge } from '@merchantops/core/shared/errors';

/** Size limits are 413s, checked before any other rule so the answer names the real problem. */
export function checkSize(items: unknown, field: string) {
  if (!Array.isArray(items)) return;
  if (items.length > MAX_ITEMS_PER_REQUEST) {
    throw tooLarge(
      `${field}: at most ${MAX_ITEMS_PER_REQUEST} items per request (got ${items.length}); upload a file (POST /v1/uploads) for more`,
    );
  }
  const big = items.findIndex((item) => Buffer.byteLength(JSON.stringify(item) ?? '') > MAX_ITEM_BYTES);
  if (big >= 0) throw tooLarge(`${field}.${big}: an item may be at most ${MAX_ITEM_BYTES / 1024} KiB of JSON`);
}
