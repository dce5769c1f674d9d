import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from '@merchantops/core/resources/monitoring';

export type Level = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const context = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with `fields` added to every log line and metric record written
 * inside it, across awaits (the request id of an invocation, the job and chunk
 * of an SQS record). Nested calls add to the fields of the outer one.
 *
 * The fields live in an AsyncLocalStorage rather than in the Logger's appended
 * keys: the records of one batch run concurrently, and each needs its own.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** The fields of the innermost withLogContext, or none. */
export const logContext = (): LogFields => context.getStore() ?? {};

/**
 * Field names that would carry product data or credentials. Callers never pass
 * them; should one slip through, at any depth, its value is replaced rather
 * than written.
 */
const WITHHELD = new Set(['items', 'item', 'failures', 'body', 'authorization', 'apiKey']);

/**
 * Powertools Logger: one JSON line per call with `level` (INFO, WARN, ERROR),
 * `message`, `timestamp`, `service`, `sampling_rate`, `xray_trace_id` (in
 * Lambda), then the fields of the current log context and the call's own.
 * INFO lines go to stdout, WARN and ERROR to stderr (Lambda sends both to
 * CloudWatch Logs unchanged). BigInts are written as strings, cycles dropped.
 */
export const logger = new Logger({
  serviceName: SERVICE_NAME,
  jsonReplacerFn: (key, value) => (WITHHELD.has(key) ? '[withheld]' : value),
});

/**
 * The level floor follows POWERTOOLS_LOG_LEVEL or LOG_LEVEL as they are now,
 * not only as they were when the module loaded (the local runtime and the
 * tests set it after import). An unknown value leaves the floor as it was.
 */
let appliedLevel: string | undefined;
function followLogLevel(): void {
  const wanted = (process.env.POWERTOOLS_LOG_LEVEL || process.env.LOG_LEVEL || 'INFO').toUpperCase();
  if (wanted === appliedLevel) return;
  appliedLevel = wanted;
  if (['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'].includes(wanted)) {
    logger.setLogLevel(wanted as Parameters<Logger['setLogLevel']>[0]);
  }
}

/**
 * One JSON line per call, with the fields of the current log context (request
 * id, job, tenant, chunk) and `fields`. Never throws.
 */
export function log(level: Level, message: string, fields: LogFields = {}): void {
  try {
    followLogLevel();
    logger[level](message, { ...logContext(), ...fields });
  } catch {
    // stdout itself is gone, or a field refused to be read; nothing left to tell.
  }
}
