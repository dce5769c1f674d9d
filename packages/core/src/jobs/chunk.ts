import type { ExportFormat, JobType } from './job';
import { checkStorable, kib } from '../limits/storable';
import { toQueueJson } from '../limits/sqs-text';

/** Job settings every chunk needs, carried in the message so workers need not look them up. */
export interface ChunkOptions {
  dryRun?: boolean;
  format?: ExportFormat;
}

/** One queue message: up to K consecutive items of one job. */
export interface Chunk {
  jobId: string;
  tenantId: string;
  type: JobType;
  /** 0-based chunk number: the idempotency key of the chunk's commit. */
  n: number;
  /** Index of the first item within the job, so failures keep their position. */
  start: number;
  items: unknown[];
  /** Source line of each item, for items read from a file. */
  lines?: number[];
  options?: ChunkOptions;
}

/** An item that could not even be read (a malformed file row): it fails with this reason. */
export interface UnreadableItem {
  $error: string;
  raw?: string;
}

export const isUnreadable = (item: unknown): item is UnreadableItem =>
  typeof item === 'object' && item !== null && typeof (item as UnreadableItem).$error === 'string';

/** Every queue takes messages up to 1 MiB; a chunk's items stay below 900 KiB, leaving room for the envelope. */
export const MAX_CHUNK_BYTES = 900 * 1024;

/** Characters of an unusable item kept to show what it was (failure records stay small). */
export const PREVIEW_CHARS = 500;

export const preview = (text: string) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);

/**
 * What travels for one item: the item itself, or, when DynamoDB could not
 * store it or it could not fit a queue message, a marker that fails it with
 * its own reason (and a preview), so it never breaks the chunk it is in.
 */
export function admitItem(item: unknown, maxBytes = MAX_CHUNK_BYTES): { item: unknown; bytes: number } {
  if (isUnreadable(item)) return sized(item.raw === undefined ? item : { ...item, raw: preview(item.raw) });
  const body = toQueueJson(item ?? null);
  const bytes = Buffer.byteLength(body);
  const tooLarge = bytes > maxBytes ? `item too large: ${kib(bytes)} as a queue message (max ${kib(maxBytes)})` : undefined;
  const problem = checkStorable(item).problem ?? tooLarge;
  return problem ? sized({ $error: problem, raw: preview(body) }) : { item, bytes };
}

const sized = (item: UnreadableItem) => ({ item, bytes: Buffer.byteLength(toQueueJson(item)) });

type ChunkHead = Pick<Chunk, 'jobId' | 'tenantId' | 'type' | 'options'>;

/**
 * Builds chunks of at most `size` items and `maxBytes` of JSON from a stream
 * of items. Deterministic: the same items always give the same chunks, which
 * is what makes re-dispatching (or re-planning) a job safe.
 */
export class Chunker {
  private items: unknown[] = [];
  private lines: number[] = [];
  private bytes = 0;
  private n = 0;
  private start = 0;

  constructor(
    private readonly head: ChunkHead,
    private readonly size: number,
    private readonly maxBytes = MAX_CHUNK_BYTES,
  ) {}

  /** Adds an item; returns the chunk it closed, if any. */
  add(input: unknown, line?: number): Chunk | undefined {
    const { item, bytes: itemBytes } = admitItem(input, this.maxBytes);
    const full = this.items.length >= this.size || (this.items.length > 0 && this.bytes + itemBytes > this.maxBytes);
    const closed = full ? this.flush() : undefined;
    this.items.push(item);
    if (line !== undefined) this.lines.push(line);
    this.bytes += itemBytes + 1;
    return closed;
  }

  /** Closes the open chunk, if it has items. */
  flush(): Chunk | undefined {
    if (this.items.length === 0) return undefined;
    const chunk: Chunk = {
      ...this.head,
      n: this.n++,
      start: this.start,
      items: this.items,
      ...(this.lines.length ? { lines: this.lines } : {}),
    };
    if (!chunk.options || Object.keys(chunk.options).length === 0) delete chunk.options;
    this.start += this.items.length;
    this.items = [];
    this.lines = [];
    this.bytes = 0;
    return chunk;
  }

  get itemCount() {
    return this.start + this.items.length;
  }

  get chunkCount() {
    return this.n;
  }
}

/** All chunks of an in-memory list of items. */
export function chunkItems(head: ChunkHead, items: readonly unknown[], size: number, maxBytes = MAX_CHUNK_BYTES): Chunk[] {
  const chunker = new Chunker(head, size, maxBytes);
  const chunks = items.flatMap((item) => chunker.add(item) ?? []);
  const last = chunker.flush();
  return last ? [...chunks, last] : chunks;
}

/** How many chunks `chunkItems` makes of these items (the byte limit can add some). */
export function countChunks(items: readonly unknown[], size: number, maxBytes = MAX_CHUNK_BYTES): number {
  return chunkItems({ jobId: '', tenantId: '', type: 'import' }, items, size, maxBytes).length;
}
