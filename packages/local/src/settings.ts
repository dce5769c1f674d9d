import { parseBackoff, parseChunkSize } from '@merchantops/core/config';

/** Local runtime settings from the environment (docs/configuration.md). */
export function localSettings(env: NodeJS.ProcessEnv = process.env) {
  const int = (name: string, fallback: number, min = 0) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return value;
  };
  const visibilityTimeoutSeconds = int('VISIBILITY_TIMEOUT', 30, 1);
  return {
    port: int('PORT', 3000),
    dynamoPort: int('DYNAMODB_PORT', 8000),
    sqsPort: int('SQS_PORT', 4566),
    inMemory: env.IN_MEMORY === '1' || env.IN_MEMORY === 'true',
    dataDir: env.DATA_DIR ?? '.data/dynamodb',
    chunkSize: parseChunkSize(env.CHUNK_SIZE),
    callbackBackoffSeconds: parseBackoff(env.CALLBACK_BACKOFF_SECONDS),
    visibilityTimeoutSeconds,
    workerConcurrency: int('WORKER_CONCURRENCY', 2, 1),
    // The sweeper: stalled after the items queue's whole local retry cycle (5 deliveries).
    sweepIntervalSeconds: int('SWEEP_INTERVAL_SECONDS', 15, 1),
    stallAfterSeconds: int('STALL_AFTER_SECONDS', visibilityTimeoutSeconds * 5 + 30, 1),
    maxRedrives: int('MAX_REDRIVES', 3, 1),
    demoApiKey: env.DEMO_API_KEY,
  };
}
