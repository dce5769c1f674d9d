export const JOB_TYPES = ['import', 'enrichment', 'export'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ['queued', 'running', 'completed', 'cancelled', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job as stored: counters are the source of truth, everything else is derived. */
export interface Job {
  id: string;
  tenantId: string;
  type: JobType;
  status: JobStatus;
  total: number;
  processed: number;
  failed: number;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** Why a `failed` job failed. */
  error?: string;
}
