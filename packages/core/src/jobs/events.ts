import type { Job } from './job';

export type ChunkOutcome = 'committed' | 'duplicate' | 'skipped';

/**
 * What the pipeline tells the outside world (metrics, logs, callbacks).
 * Observers must not throw: a failing observer must not fail the work.
 */
export interface JobEvents {
  jobCreated(job: Job): void;
  chunkFinished(event: {
    job: Job;
    chunk: number;
    outcome: ChunkOutcome;
    /** Items the chunk held and how many of them failed (0 when skipped or a duplicate). */
    processed: number;
    failed: number;
    /** Time spent in the chunk commit transaction. */
    commitMs: number;
    /** True when the chunk went through the dead-letter path. */
    exhausted: boolean;
  }): void;
  /** Exactly once per job: the caller that moved it to completed, cancelled or failed. */
  jobFinished(job: Job): void;
  /** The sweeper found the job without progress and re-drives it. */
  jobStalled?(job: Job): void;
}

export const noEvents: JobEvents = {
  jobCreated() {},
  chunkFinished() {},
  jobFinished() {},
};
