import { AsyncLocalStorage } from 'node:async_hooks';
import { SERVICE_NAME } from '@merchantops/core/resources/monitoring';

const LEVELS = { info: 0, warn: 1, error: 2 } as const;
export type Level = keyof typeof LEVELS;
export type LogFields = Record<string, unknown>;

const context = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with `fields` added to every log line and metric record written
 * inside it, across awaits (the request id of an invocation, the job and chunk
 * of an SQS record). Nested calls add to the fields of the outer one.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** The fields of the innermost withLogContext, or none. */
export const logContext = (): LogFields => context.getStore() ?? {};

/**
 * Field names that would carry product data or credentials. Callers never pass
 * them; should one slip through, its value is replaced rather than written.
 */
const WITHHELD = new Set(['items', 'item', 'failures', 'body', 'authorization', 'apiKey']);

function withhold(fields: LogFields): LogFields {
  let out: LogFields | undefined;
  for (const name of Object.keys(fields)) {
    if (WITHHELD.has(name)) (out ??= { ...fields })[name] = '[withheld]';
  }
  return out ?? fields;
}

/**
 * Writes one JSON object as one line on stdout. Lambda sends stdout to
 * CloudWatch Logs line by line, without the prefix its patched console.log
 * adds, so each line stays a JSON log event (and an EMF record stays
 * parseable); locally the same lines simply appear on stdout.
 */
export function writeLine(record: LogFields): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

/**
 * One JSON line per call: level, message, timestamp, service, the fields of
 * the current log context (request id, job, tenant, chunk), then `fields`.
 * LOG_LEVEL sets the floor. Never throws.
 */
export function log(level: Level, message: string, fields: LogFields = {}): void {
  const floor = LEVELS[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? LEVELS.info;
  if (LEVELS[level] < floor) return;
  const head = { level, message, timestamp: new Date().toISOString(), service: SERVICE_NAME };
  try {
    writeLine({ ...head, ...logContext(), ...withhold(fields) });
  } catch (error) {
    // A field that JSON cannot encode (a BigInt, a cycle): keep the line, drop the fields.
    try {
      writeLine({ ...head, ...logContext(), logError: `fields not logged: ${(error as Error)?.message}` });
    } catch {
      // stdout itself is gone; nothing left to tell.
    }
  }
}
