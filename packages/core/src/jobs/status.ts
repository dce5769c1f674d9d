import type { JobStatus } from './job';

const FINISHED: ReadonlySet<JobStatus> = new Set(['completed', 'cancelled', 'failed']);

/** Finished jobs never change status again. */
export const isFinished = (status: JobStatus) => FINISHED.has(status);
