import type { Failure } from '../ports';
import { checkStorable } from '../limits/storable';
import { toQueueJson } from '../limits/sqs-text';
import { isUnreadable, preview } from './chunk';

/**
 * A committed chunk is one record: its marker and its failures together, so
 * a commit costs the same whatever fails. These bounds keep that record (and
 * the job record's failure summary) far below DynamoDB's 400 KB item limit
 * and 4 KB expression limit for any chunk size the config allows.
 */
export const failureBounds = {
  /** A reason is cut to this many characters. */
  reasonChars: 500,
  /** Summary keys are the reason cut to this many characters. */
  reasonKeyChars: 120,
  /** A failed item is kept whole (for retry) up to this size... */
  keptItemBytes: 16 * 1024,
  /** ...while the record's kept items stay under this; the rest keep a preview. */
  recordItemBytes: 256 * 1024,
  /** Distinct reasons counted by name per chunk; the rest go to `otherReasons`. */
  reasonsPerChunk: 10,
  /**
   * Distinct reasons the job record counts by name; later new reasons go to
   * `otherReasons`. With the key length this keeps the job record under
   * 4 KB, so each commit's update of it costs at most 8 write units.
   */
  reasonsPerJob: 20,
} as const;

/** Nesting a kept item gets inside the chunk record (failures list, failure map, item). */
const RECORD_NESTING = 3;

/**
 * The failures as stored: reasons cut, and each item kept whole only when it
 * is small, storable inside the record and within the record's budget;
 * otherwise a preview of it stays.
 */
export function boundFailures(failures: Failure[]): Failure[] {
  let budget = failureBounds.recordItemBytes;
  return failures.map(({ item, preview: given, ...failure }) => {
    const reason = cut(failure.reason, failureBounds.reasonChars);
    // An item that could not be read or stored stays its marker: its reason and a preview of its text.
    if (isUnreadable(item)) return { ...failure, reason, item: item.raw === undefined ? item : { ...item, raw: preview(item.raw) } };
    const storable = checkStorable(item, {
      nestingLevels: 32 - RECORD_NESTING,
      bytes: Math.min(failureBounds.keptItemBytes, budget),
    });
    if (item !== undefined && !storable.problem) {
      budget -= storable.bytes;
      return { ...failure, reason, item };
    }
    return { ...failure, reason, preview: given ?? preview(toQueueJson(item ?? null)) };
  });
}

/** The summary key of a reason. */
export const reasonKey = (reason: string) => cut(reason, failureBounds.reasonKeyChars);

/**
 * A chunk's failures per reason: the most frequent `reasonsPerChunk` by name,
 * the rest as one `other` count, so the commit's update expression stays small.
 */
export function tallyReasons(failures: Failure[]): { named: Map<string, number>; other: number } {
  const counts = new Map<string, number>();
  for (const { reason } of failures) counts.set(reasonKey(reason), (counts.get(reasonKey(reason)) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const named = new Map(ranked.slice(0, failureBounds.reasonsPerChunk));
  const other = ranked.slice(failureBounds.reasonsPerChunk).reduce((sum, [, count]) => sum + count, 0);
  return { named, other };
}

const cut = (text: string, chars: number) => (text.length > chars ? text.slice(0, chars) : text);
