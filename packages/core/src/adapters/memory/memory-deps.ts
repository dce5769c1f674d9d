import type { Deps } from '../../deps';
import { noEvents } from '../../jobs/events';
import { failJob } from '../../jobs/lifecycle';
import { failExhaustedChunk, processChunk } from '../../jobs/process-chunk';
import { finalizeJob } from '../../jobs/settle-job';
import { deliverNotification } from '../../notifications/deliver-notification';
import { planJob, redriveJob } from '../../planning/plan-job';
import { processors } from '../../processors';
import { itemsQueue } from '../../resources/queues';
import { DEFAULT_TENANT_LIMITS } from '../../tenants/tenant-limits';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../uploads/upload-limits';
import { MemoryCallbackSender } from './memory-callback-sender';
import { MemoryDispatcher, type Consumers, type DrainReport } from './memory-dispatcher';
import { MemoryFileStore } from './memory-file-store';
import { MemoryJobStore } from './memory-job-store';
import { MemoryKeyStore } from './memory-key-store';
import { MemoryNotificationStore } from './memory-notification-store';
import { MemoryProductStore } from './memory-product-store';
import { MemoryTenantUsage } from './memory-tenant-usage';

/** A clock a test moves by hand; every in-memory store reads the time from it. */
export class TestClock {
  constructor(private current = new Date('2026-01-01T00:00:00.000Z')) {}
  now = () => new Date(this.current);
  advance(seconds: number) {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/** Deps on the in-memory adapters, typed as what they are so tests can reach their extras. */
export interface MemoryDeps extends Deps {
  jobs: MemoryJobStore;
  products: MemoryProductStore;
  keys: MemoryKeyStore;
  files: MemoryFileStore;
  notifications: MemoryNotificationStore;
  dispatcher: MemoryDispatcher;
  callbacks: MemoryCallbackSender;
  tenantUsage: MemoryTenantUsage;
  clock: TestClock;
}

/**
 * The composition root for unit tests: every port in memory, the real
 * processors and domain, a hand-moved clock, no AWS. `drain(deps)` then runs
 * what the queues hold, as the worker, planner and notifier would.
 */
export function memoryDeps(overrides: Partial<Omit<MemoryDeps, 'clock'>> = {}): MemoryDeps {
  const clock = new TestClock();
  return {
    jobs: new MemoryJobStore(clock.now),
    products: new MemoryProductStore(),
    keys: new MemoryKeyStore(clock.now),
    files: new MemoryFileStore(),
    notifications: new MemoryNotificationStore(clock.now),
    dispatcher: new MemoryDispatcher(),
    processors,
    chunkSize: 25,
    now: clock.now,
    events: noEvents,
    allowLocalCallbacks: true,
    callbacks: new MemoryCallbackSender(),
    callbackBackoffSeconds: 1,
    tenantLimits: DEFAULT_TENANT_LIMITS,
    tenantUsage: new MemoryTenantUsage(),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    clock,
    ...overrides,
  };
}

/**
 * The pipeline's consumers on these deps: the worker (processChunk), the
 * planner (plan, finalize, redrive), the notifier, and the dead-letter
 * handlers (the chunk's last attempt item by item; a task that never
 * finished fails its job).
 */
export const pipeline = (deps: Deps): Consumers => ({
  chunk: (chunk, receiveCount) => processChunk(deps, chunk, receiveCount),
  task: (task) => ({ plan: planJob, finalize: finalizeJob, redrive: redriveJob })[task.kind](deps, task.jobId),
  notification: (jobId) => deliverNotification(deps, jobId),
  deadChunk: (chunk) => failExhaustedChunk(deps, chunk, itemsQueue.maxReceiveCount),
  deadTask: (task) => failJob(deps, task.jobId, `the ${task.kind} step failed on every delivery`),
});

/** Runs the pipeline until every queue is empty. */
export const drain = (deps: MemoryDeps, consumers: Consumers = pipeline(deps)): Promise<DrainReport> =>
  deps.dispatcher.drain(consumers);
