export const JOB_TYPES = ['import', 'enrichment', 'export'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ['queued', 'running', 'completed', 'cancelled', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

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
  /** Items per chunk when the job was planned: re-driving it must cut the same chunks. */
  chunkSize?: number;
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
  /** Failed items per reason, for the first reasons seen (see chunk-record.ts for the bounds). */
  failureReasons?: Record<string, number>;
  /** Failed items whose reason is not counted by name in `failureReasons`. */
  otherReasons?: number;
  /** Set by the sweeper when the job made no progress for a while; cleared by the next commit. */
  stalledAt?: string;
  /** Re-drives by the sweeper since the job last made progress (cleared by the next commit). */
  stalledRedrives?: number;
  /** When the sweeper last re-drove the job. */
  redrivenAt?: string;
  retryOf?: string;
  retries?: string[];
  /** Where the signed completion callback goes when the job finishes. */
  callbackUrl?: string;
}
