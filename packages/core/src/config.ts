import { parseTenantLimits, type TenantLimits } from './tenants/tenant-limits';
import { parseMaxUploadBytes } from './uploads/upload-limits';

/** Runtime settings, read from the environment once per cold start. */
export interface Config {
  jobsTable: string;
  productsTable: string;
  itemsQueueUrl: string;
  plansQueueUrl: string;
  notificationsQueueUrl: string;
  filesBucket: string;
  /** Callbacks may go to http://localhost (the local stack only). */
  allowLocalCallbacks: boolean;
  /** First retry delay of a failed callback, doubling each time. */
  callbackBackoffSeconds: number;
  /** Items per queue message (K); chunks also close before 900 KiB. */
  chunkSize: number;
  /** Base64 AES-256 key sealing webhook signing secrets at rest (WEBHOOK_SECRETS_KEY; the SST secret in AWS). */
  webhookSecretsKey?: string;
  /** Per-tenant limits (MAX_ACTIVE_JOBS_PER_TENANT, MAX_ITEMS_IN_FLIGHT_PER_TENANT). */
  tenantLimits?: TenantLimits;
  /** Largest upload in bytes (MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number;
}

/**
 * A chunk's commit costs the same whatever fails (chunk-record.ts), so K is
 * bounded by the chunk record's size (250 failures with their reasons and
 * previews stay far below 400 KB) and by the worker's timeout, not by
 * DynamoDB's 100 actions per transaction.
 */
export const MAX_CHUNK_SIZE = 250;
export const DEFAULT_CHUNK_SIZE = 100;
export const MAX_ITEMS_PER_REQUEST = 10_000;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    jobsTable: required(env, 'JOBS_TABLE'),
    productsTable: required(env, 'PRODUCTS_TABLE'),
    itemsQueueUrl: required(env, 'ITEMS_QUEUE_URL'),
    plansQueueUrl: required(env, 'PLANS_QUEUE_URL'),
    notificationsQueueUrl: required(env, 'NOTIFICATIONS_QUEUE_URL'),
    filesBucket: required(env, 'FILES_BUCKET'),
    allowLocalCallbacks: false,
    callbackBackoffSeconds: parseBackoff(env.CALLBACK_BACKOFF_SECONDS),
    chunkSize: parseChunkSize(env.CHUNK_SIZE),
    webhookSecretsKey: env.WEBHOOK_SECRETS_KEY || undefined,
    tenantLimits: parseTenantLimits(env),
    maxUploadBytes: parseMaxUploadBytes(env.MAX_UPLOAD_BYTES),
  };
}

/** CALLBACK_BACKOFF_SECONDS, default 30: the first retry delay of a failed callback. */
export function parseBackoff(raw: string | undefined): number {
  const seconds = Number(raw || 30);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 900) {
    throw new Error(`CALLBACK_BACKOFF_SECONDS must be a whole number from 1 to 900, got "${raw}"`);
  }
  return seconds;
}

/** CHUNK_SIZE, default 100; shared by the Lambdas and the local runtime. */
export function parseChunkSize(raw: string | undefined): number {
  const chunkSize = Number(raw || DEFAULT_CHUNK_SIZE);
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new Error(`CHUNK_SIZE must be a whole number from 1 to ${MAX_CHUNK_SIZE}, got "${raw}"`);
  }
  return chunkSize;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
