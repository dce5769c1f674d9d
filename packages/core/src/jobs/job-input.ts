import type { Job } from './job';

/**
 * Where a job's inline items are kept (its durable input), so that chunks
 * whose messages were lost can be cut and sent again. Uploads are their own
 * durable input; selections and retries are planned again from their source.
 */
export const inputKey = (job: Pick<Job, 'tenantId' | 'id'>) => `inputs/${job.tenantId}/${job.id}.json`;
