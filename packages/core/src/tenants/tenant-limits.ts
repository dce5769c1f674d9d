import { AppError, tooLarge } from '../shared/errors';
import type { Job } from '../jobs/job';
import { isFinished } from '../jobs/status';
import type { JobStore } from '../ports';

/**
 * Per-tenant limits, so that one tenant cannot flood the queues: how many of
 * its jobs may be active (queued or running) at once, and how many of their
 * items may be unfinished ("in flight"). Beyond either, a new job is a 429
 * with Retry-After. docs/api.md ("Limits") documents them; they come from
 * MAX_ACTIVE_JOBS_PER_TENANT and MAX_ITEMS_IN_FLIGHT_PER_TENANT.
 */
export interface TenantLimits {
  maxActiveJobs: number;
  maxItemsInFlight: number;
}

export const DEFAULT_TENANT_LIMITS: TenantLimits = { maxActiveJobs: 20, maxItemsInFlight: 1_000_000 };

/** What a tenant has reserved: one entry per job it started that may still be active. */
export interface UsageEntry {
  jobId: string;
  /** Items known when the job was created (0 for a job whose planner counts them). */
  items: number;
  at: string;
}

/** The tenant's reservations, written with optimistic concurrency on `version`. */
export interface TenantUsageStore {
  read(tenantId: string): Promise<{ entries: UsageEntry[]; version: number }>;
  /** False when the version moved on (someone else wrote in between). */
  write(tenantId: string, entries: UsageEntry[], version: number): Promise<boolean>;
}

/** How long to wait before trying again: jobs of this size typically finish in about this time. */
export const LIMIT_RETRY_AFTER_SECONDS = 30;
/** A reservation whose job never appeared (the create failed, or was an idempotent repeat) is dropped after this. */
const ORPHAN_RESERVATION_MS = 60_000;

export const tooManyRequests = (message: string) => new AppError('rate_limited', message, 429, LIMIT_RETRY_AFTER_SECONDS);

/**
 * Reserves room for a new job in its tenant's limits, or refuses it (429).
 * Entries of jobs that have finished are dropped on the way, so the record
 * stays as small as the limit. Does nothing when the deps carry no
 * `tenantUsage` / `tenantLimits` (a runtime without limits).
 *
 * Items in flight: for each active job, its total (or the items reserved,
 * while the planner is still counting) minus what it has processed.
 */
export async function reserveTenantCapacity(
  deps: { jobs: JobStore; tenantUsage?: TenantUsageStore; tenantLimits?: TenantLimits; now?: () => Date },
  job: Job,
): Promise<void> {
  const { tenantUsage: usage, tenantLimits: limits } = deps;
  if (!usage || !limits || isFinished(job.status)) return;
  const items = job.total;
  if (items > limits.maxItemsInFlight) {
    throw tooLarge(`a tenant may have at most ${limits.maxItemsInFlight} items in flight, and this job has ${items}`);
  }
  for (let attempt = 0; attempt < 12; attempt++) {
    const now = (deps.now?.() ?? new Date()).getTime();
    const { entries, version } = await usage.read(job.tenantId);
    const jobs = await Promise.all(entries.map((entry) => deps.jobs.get(entry.jobId)));
    let inFlight = 0;
    const kept: UsageEntry[] = [];
    entries.forEach((entry, i) => {
      const current = jobs[i];
      if (current ? isFinished(current.status) : now - Date.parse(entry.at) > ORPHAN_RESERVATION_MS) return;
      kept.push(entry);
      inFlight += current ? Math.max(0, Math.max(current.total, entry.items) - current.processed) : entry.items;
    });
    if (kept.length >= limits.maxActiveJobs) {
      throw tooManyRequests(
        `this tenant already has ${kept.length} active jobs (at most ${limits.maxActiveJobs}); try again once one has finished`,
      );
    }
    if (inFlight + items > limits.maxItemsInFlight) {
      throw tooManyRequests(
        `this tenant has ${inFlight} items in flight (at most ${limits.maxItemsInFlight}), and this job adds ${items}; try again once some have finished`,
      );
    }
    if (await usage.write(job.tenantId, [...kept, { jobId: job.id, items, at: new Date(now).toISOString() }], version)) return;
    // Another create of this tenant wrote in between: try again a little later, at a random moment.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
  }
  throw new AppError('unavailable', 'this tenant is creating jobs faster than they can be counted; try again', 503);
}

/** MAX_ACTIVE_JOBS_PER_TENANT and MAX_ITEMS_IN_FLIGHT_PER_TENANT, with their defaults. */
export function parseTenantLimits(env: NodeJS.ProcessEnv): TenantLimits {
  const positive = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
    return value;
  };
  return {
    maxActiveJobs: positive('MAX_ACTIVE_JOBS_PER_TENANT', DEFAULT_TENANT_LIMITS.maxActiveJobs),
    maxItemsInFlight: positive('MAX_ITEMS_IN_FLIGHT_PER_TENANT', DEFAULT_TENANT_LIMITS.maxItemsInFlight),
  };
}
