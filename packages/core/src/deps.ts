import type { JobEvents } from './jobs/events';
import type { Dispatcher, FileStore, JobStore, KeyStore, NotificationStore, ProductStore } from './ports';
import type { Processor } from './processors/processor';
import type { CallbackSender } from './notifications/callback-sender';
import type { TenantLimits, TenantUsageStore } from './tenants/tenant-limits';

/**
 * Everything the handlers need, as ports. The composition roots build it:
 * @merchantops/aws/deps for AWS and the local stack, adapters/memory for
 * unit tests. Tests wrap these to inject faults.
 */
export interface Deps {
  jobs: JobStore;
  products: ProductStore;
  keys: KeyStore;
  files: FileStore;
  notifications: NotificationStore;
  dispatcher: Dispatcher;
  processors: Record<'import' | 'enrichment' | 'export', Processor>;
  chunkSize: number;
  now: () => Date;
  events: JobEvents;
  allowLocalCallbacks: boolean;
  callbackBackoffSeconds: number;
  /** Sends completion callbacks over HTTP (the adapter decides which addresses it may reach). */
  callbacks: CallbackSender;
  /** Per-tenant limits on active jobs and items in flight, and where reservations are kept. */
  tenantLimits?: TenantLimits;
  tenantUsage?: TenantUsageStore;
  /** Largest upload in bytes. */
  maxUploadBytes: number;
}

