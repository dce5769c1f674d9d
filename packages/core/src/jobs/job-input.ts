import type { Job } from './job';

/**
 * Where a job's inline items are kept (its durable input), so that chunks
 * whose messages were lost can be cut and sent again. Uploads are their own
 * durable input, and a retry's source (the failures of a finished job) does
 * not change.
 */
export const inputKey = (job: Pick<Job, 'tenantId' | 'id'>) => `inputs/${job.tenantId}/${job.id}.json`;

/**
 * Where the SKUs a selection (`all`, `missing`) chose are kept, one JSON
 * string a line, written whole before the first chunk is sent: products
 * change while a job runs, so planning again from the live selection would cut
 * other chunks than the ones already committed.
 */
export const selectionKey = (job: Pick<Job, 'tenantId' | 'id'>) => `inputs/${job.tenantId}/${job.id}.selection.jsonl`;
