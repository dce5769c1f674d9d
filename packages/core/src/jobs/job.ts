import type { ExportFormat } from './chunk';

export const JOB_TYPES = ['import', 'enrichment', 'export'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ['queued', 'running', 'completed', 'cancelled', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Where a job's items come from. Everything but `items` is read by the planner. */
export type JobSource =
  | { kind: 'items' }
  | { kind: 'upload'; uploadId: string; format: UploadFormat }
  | { kind: 'select'; all?: true; missing?: string[] }
  | { kind: 'retry'; jobId: string; reason?: string };

export type UploadFormat = 'csv' | 'jsonl';

/** A job as stored: counters are the source of truth, everything else is derived. */
export interface Job {
  id: string;
  tenantId: string;
  type: JobType;
  status: JobStatus;
  /** 0 until the planner has counted the items (while `planning`). */
  total: number;
  processed: number;
  failed: number;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** Why a `failed` job failed. */
  error?: string;
  source: JobSource;
  /** True while the planner is still reading the source; the job cannot complete before. */
  planning?: boolean;
  dryRun?: boolean;
  format?: ExportFormat;
  maxFailurePercent?: number;
  /** Import: created / updated / unchanged counts. Export: format, rows, bytes. */
  result?: Record<string, string | number>;
  /** Failed items per reason. */
  failureReasons?: Record<string, number>;
  retryOf?: string;
  retries?: string[];
  /** Where the signed completion callback goes when the job finishes. */
  callbackUrl?: string;
}
