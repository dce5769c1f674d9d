import type { JobStatus } from './job';

const FINISHED: ReadonlySet<JobStatus> = new Set(['completed', 'cancelled', 'failed']);

/** Finished jobs never change status again. */
export const isFinished = (status: JobStatus) => FINISHED.has(status);

/** Allowed moves; anything else is a bug or a lost race. */
const NEXT: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'completed', 'cancelled', 'failed'],
  running: ['completed', 'cancelled', 'failed'],
  completed: [],
  cancelled: [],
  failed: [],
};

export const canMove = (from: JobStatus, to: JobStatus) => NEXT[from].includes(to);
