import type { Deps } from '../deps';
import { parseCsv } from '../csv/parse-csv';
import type { UnreadableItem } from '../jobs/chunk';
import type { Job } from '../jobs/job';
import { isBlank } from '../products/is-blank';
import { rowToProduct } from '../products/product-csv';
import { lines, utf8 } from './read-text';
import { storedUploadProblem } from '../uploads/upload-limits';
import { inputKey, selectionKey } from '../jobs/job-input';
import { reasonKey } from '../jobs/chunk-record';

/** A source that cannot be read at all: the job fails with this reason. */
export class SourceError extends Error {}

/** A job's kept input (inline items, a selection's SKUs) is no longer there. */
const inputGone = (key: string) => new SourceError(`the job's input is gone (${key}): its unfinished items cannot be sent again`);

export interface SourceItem {
  item: unknown;
  line?: number;
}

export type SourceDeps = Pick<Deps, 'jobs' | 'products' | 'files' | 'maxUploadBytes'>;

/** The items of a job whose source the planner reads, one at a time, in a stable order. */
export function readSource(deps: SourceDeps, job: Job): AsyncIterable<SourceItem> {
  switch (job.source.kind) {
    case 'upload':
      return readUpload(deps, job.source.uploadId);
    case 'select':
      return selectedProducts(deps, job, job.source.missing);
    case 'retry':
      return failedItems(deps, job.source.jobId, job.source.reason);
    default:
      return inlineItems(deps, job);
  }
}

/** The items of a job created with inline items, as the API stored them. */
async function* inlineItems(deps: SourceDeps, job: Job): AsyncGenerator<SourceItem> {
  const bytes = await deps.files.read(inputKey(job));
  if (!bytes) throw inputGone(inputKey(job));
  const chunks: Buffer[] = [];
  for await (const chunk of bytes) chunks.push(Buffer.from(chunk));
  const items = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
  for (const item of items) yield { item };
}

async function* readUpload(deps: SourceDeps, uploadId: string): AsyncGenerator<SourceItem> {
  const upload = await deps.jobs.getUpload(uploadId);
  if (!upload) throw new SourceError(`upload ${uploadId} does not exist or has expired: the job's input is gone`);
  const tooLarge = await storedUploadProblem(deps, upload.key);
  if (tooLarge) throw new SourceError(tooLarge);
  const bytes = await deps.files.read(upload.key);
  if (!bytes) throw new SourceError(`upload ${uploadId} has no file (the job's input is gone)`);
  const text = utf8(bytes);
  try {
    yield* upload.format === 'csv' ? csvProducts(text) : jsonLines(text);
  } catch (error) {
    if (error instanceof TypeError && /encoded data|decode/i.test(error.message)) {
      throw new SourceError('the file is not valid UTF-8 text');
    }
    throw error;
  }
}

const unreadable = (error: string, raw?: string): UnreadableItem => ({ $error: error, ...(raw ? { raw } : {}) });

async function* csvProducts(text: AsyncIterable<string>): AsyncGenerator<SourceItem> {
  let header: string[] | undefined;
  for await (const record of parseCsv(text)) {
    if (!header) {
      if ('error' in record) throw new SourceError(`header row: ${record.error}`);
      header = record.fields.map((name) => name.trim()); // csv-parse drops a byte-order mark
      if (!header.includes('sku')) throw new SourceError('header row: there is no sku column');
      continue;
    }
    if ('error' in record) {
      yield { item: unreadable(`malformed row: ${record.error}`, record.raw), line: record.line };
    } else if (record.fields.length !== header.length) {
      yield {
        item: unreadable(`malformed row: expected ${header.length} fields, found ${record.fields.length}`, record.fields.join(',')),
        line: record.line,
      };
    } else {
      yield { item: rowToProduct(header, record.fields), line: record.line };
    }
  }
  if (!header) throw new SourceError('the file is empty: a CSV file needs a header row');
}

async function* jsonLines(text: AsyncIterable<string>): AsyncGenerator<SourceItem> {
  for await (const { line, text: content } of lines(text)) {
    if (content.trim() === '') continue;
    try {
      yield { item: JSON.parse(content), line };
    } catch {
      yield { item: unreadable('malformed line: not valid JSON', content.slice(0, 2000)), line };
    }
  }
}

/**
 * The products a selection chose, as they were when the job was first planned:
 * the first planning keeps the SKUs (`selectionKey`) before it sends anything,
 * and every later planning or re-drive reads them back.
 */
async function* selectedProducts(deps: SourceDeps, job: Job, missing?: string[]): AsyncGenerator<SourceItem> {
  const key = selectionKey(job);
  let kept = await deps.files.read(key);
  if (!kept) {
    // Without the kept list, only a job still being planned may select again: nothing of it was counted yet.
    if (!job.planning) throw inputGone(key);
    await deps.files.write(key, selectedSkus(deps, job.tenantId, missing), 'application/x-ndjson');
    kept = await deps.files.read(key);
    if (!kept) throw new Error(`${key} was written but cannot be read`);
  }
  for await (const { text } of lines(utf8(kept))) {
    if (text !== '') yield { item: { sku: JSON.parse(text) as string } };
  }
}

/** The SKUs a selection chooses now, as JSON lines in pieces of about 64 KiB. */
async function* selectedSkus(deps: SourceDeps, tenantId: string, missing?: string[]): AsyncGenerator<string> {
  let piece = '';
  for await (const product of deps.products.scan(tenantId)) {
    if (missing && !missing.some((field) => isBlank(product[field]))) continue;
    piece += `${JSON.stringify(product.sku)}\n`;
    if (piece.length >= 64 * 1024) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

async function* failedItems(deps: SourceDeps, jobId: string, reason?: string): AsyncGenerator<SourceItem> {
  let cursor: string | undefined;
  do {
    const page = await deps.jobs.listFailures(jobId, 1000, cursor);
    for (const failure of page.items) {
      // Summary keys are cut to 200 characters; match the same way.
      if (reason !== undefined && reasonKey(failure.reason) !== reasonKey(reason)) continue;
      // An item too large to keep fails again, saying so; it must be fixed and imported anew.
      const item =
        failure.item !== undefined
          ? failure.item
          : unreadable(`${failure.reason} (the item was too large to keep for a retry: fix it and import it again)`, failure.preview);
      yield { item };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
