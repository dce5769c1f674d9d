import { dynamoLimits } from './aws-limits';

/**
 * Per-item limits checked where items enter the system (API and planner), so
 * an item that DynamoDB could not store fails on its own with a reason
 * instead of breaking the chunk it travels in. Stricter than DynamoDB by a
 * margin: products get bookkeeping fields (tenant, timestamps, enrichment).
 */
export const itemLimits = {
  /** Nested maps and lists below the item itself (DynamoDB allows 32). */
  nestingLevels: 30,
  /** DynamoDB's size of the item; 8 KiB of the 400 KB item stays free for bookkeeping. */
  bytes: dynamoLimits.itemBytes - 8 * 1024,
  /** Integers beyond this lose digits in JavaScript and are refused by the SDK. */
  maxSafeInteger: Number.MAX_SAFE_INTEGER,
} as const;

/** Half of a UTF-16 pair without its other half: not text UTF-8 can carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface Storability {
  /** DynamoDB's size of the value (its rules: names + values, +1 per element, +3 per map or list). */
  bytes: number;
  /** The first thing DynamoDB would refuse, with the path to it; undefined when storable. */
  problem?: string;
}

/** Checks a value against DynamoDB's rules and `itemLimits`, in one pass. */
export function checkStorable(item: unknown, limits: { nestingLevels: number; bytes: number } = itemLimits): Storability {
  let problem: string | undefined;
  const report = (path: string, message: string) => {
    problem ??= `${path || 'item'}: ${message}`;
  };

  // `depth` counts the maps and lists around a value; the item itself is the
  // top-level map, whose attributes cost no per-element overhead.
  const visit = (value: unknown, path: string, depth: number): number => {
    if (value === null || value === undefined || typeof value === 'boolean') return 1;
    if (typeof value === 'number') {
      const issue = numberProblem(value);
      if (issue) report(path, issue);
      return numberBytes(value);
    }
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) report(path, 'text contains an unpaired surrogate (not valid Unicode)');
      return Buffer.byteLength(value);
    }
    if (typeof value !== 'object') {
      report(path, `a ${typeof value} cannot be stored`);
      return 0;
    }
    if (depth > limits.nestingLevels) {
      report(path, `nested more than ${limits.nestingLevels} levels deep`);
      return 0;
    }
    const top = depth === 0;
    let bytes = top ? 0 : 3;
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((element, i) => [`[${i}]`, element])
      : Object.entries(value);
    for (const [name, element] of entries) {
      const list = Array.isArray(value);
      const at = list ? `${path}${name}` : path ? `${path}.${name}` : name;
      if (!list && name === '') report(path ? `${path}.""` : '""', 'attribute names must not be empty');
      else if (!list && LONE_SURROGATE.test(name)) report(at, 'attribute name contains an unpaired surrogate');
      bytes += (top ? 0 : 1) + (list ? 0 : Buffer.byteLength(name)) + visit(element, at, depth + 1);
      if (problem) break;
    }
    return bytes;
  };

  const bytes = visit(item, '', 0);
  if (!problem && bytes > limits.bytes) {
    problem = `item too large: ${kib(bytes)} as stored (max ${kib(limits.bytes)})`;
  }
  return problem ? { bytes, problem } : { bytes };
}

function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'number out of range (not finite)';
  const magnitude = Math.abs(value);
  if (magnitude > itemLimits.maxSafeInteger) {
    return `number out of range: ${value} is beyond ±${itemLimits.maxSafeInteger} (send it as a string to keep every digit)`;
  }
  if (magnitude !== 0 && magnitude < dynamoLimits.minNumberMagnitude) {
    return `number out of range: ${value} is closer to 0 than ${dynamoLimits.minNumberMagnitude}`;
  }
  return undefined;
}

/** DynamoDB stores a number in about one byte per two significant digits, plus one. */
function numberBytes(value: number): number {
  const digits = String(Math.abs(value))
    .replace(/e.*$/, '')
    .replace('.', '')
    .replace(/^0+/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** "412.5 KB" — sizes in reasons, in KiB as AWS counts them. */
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
