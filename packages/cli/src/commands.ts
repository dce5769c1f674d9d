import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  isFinished,
  outcomeOf,
  type ApiClient,
  type CreateJobRequest,
  type Job,
  type JobList,
} from '@merchantops/client/client';
import { formatCount, formatDuration, ProgressMeter } from '@merchantops/client/progress-meter';
import { MAX_ITEMS_PER_REQUEST } from '@merchantops/core/config';
import { EXPORT_FORMATS, JOB_STATUSES, JOB_TYPES } from '@merchantops/core/jobs/job';
import { PRODUCT_FIELDS } from '@merchantops/core/products/product-fields';
import { integerOption, stringOption, UsageError, type Values } from './args';
import { saveDownload } from './download';
import { EXIT } from './help';
import { jobDetails, paint, progressLine, statusLabel, table, type Terminal } from './output';

export interface Context {
  client: ApiClient;
  term: Terminal;
  json: boolean;
}

/** JSON Lines files up to this size go in the request itself; larger ones are uploaded. */
export const INLINE_MAX_BYTES = 1024 * 1024;

const print = (ctx: Context, text: string) => ctx.term.out.write(`${text}\n`);
const printJson = (ctx: Context, value: unknown) => ctx.term.out.write(`${JSON.stringify(value)}\n`);
/** Progress chatter goes to stderr, so stdout stays the result. */
const note = (ctx: Context, text: string) => {
  if (!ctx.json) ctx.term.err.write(`${text}\n`);
};

function oneOf<T extends string>(values: readonly T[], value: string | undefined, option: string): T | undefined {
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) throw new UsageError(`--${option} must be one of ${values.join(', ')}`);
  return value as T;
}

/** Prints a created job, or watches it with --watch. */
async function started(ctx: Context, job: Job, values: Values): Promise<number> {
  if (values.watch) {
    note(ctx, `${job.type} job ${job.id} started`);
    return watch(ctx, job.id, values);
  }
  if (ctx.json) printJson(ctx, job);
  else {
    print(ctx, `${job.type} job ${paint(ctx.term, 'bold', job.id)} ${statusLabel(ctx.term, job)}`);
    print(ctx, paint(ctx.term, 'grey', `watch it: merchantops jobs watch ${job.id}`));
  }
  return EXIT.ok;
}

export async function create(ctx: Context, values: Values): Promise<number> {
  const type = oneOf(JOB_TYPES, stringOption(values, 'type'), 'type');
  if (!type) throw new UsageError('jobs create needs --type import, enrichment or export');
  const options: Partial<CreateJobRequest> = {};
  const maxFailurePercent = integerOption(values, 'max-failure-percent', 0, 100);
  if (maxFailurePercent !== undefined) options.maxFailurePercent = maxFailurePercent;
  const callbackUrl = stringOption(values, 'callback-url');
  if (callbackUrl) options.callbackUrl = callbackUrl;

  let body: CreateJobRequest;
  if (type === 'import') {
    const file = stringOption(values, 'file');
    if (!file) throw new UsageError('an import needs --file products.csv or products.jsonl');
    for (const option of ['all', 'missing', 'format']) if (values[option] !== undefined) throw new UsageError(`--${option} is for enrichment and export jobs`);
    body = { type, ...(await importSource(ctx, file, Boolean(values.upload))), ...options, ...(values['dry-run'] ? { dryRun: true } : {}) };
  } else {
    for (const option of ['file', 'upload', 'dry-run']) if (values[option] !== undefined) throw new UsageError(`--${option} is for import jobs`);
    const missing = stringOption(values, 'missing');
    if (values.all && missing) throw new UsageError('give --all or --missing, not both');
    if (!values.all && !missing) throw new UsageError(`an ${type} job needs --all (every product) or --missing FIELDS`);
    const select = missing
      ? { missing: missing.split(',').map((field) => oneOf(PRODUCT_FIELDS, field.trim(), 'missing')!) }
      : { all: true as const };
    const format = oneOf(EXPORT_FORMATS, stringOption(values, 'format'), 'format');
    if (format && type !== 'export') throw new UsageError('--format is for export jobs');
    body = { type, select, ...(format ? { format } : {}), ...options };
  }
  const job = await ctx.client.createJob(body, { idempotencyKey: stringOption(values, 'idempotency-key') });
  return started(ctx, job, values);
}

/** The items of an import: inline for a small, clean JSON Lines file; otherwise an upload. */
async function importSource(ctx: Context, file: string, forceUpload: boolean): Promise<Pick<CreateJobRequest, 'items' | 'source'>> {
  const extension = file.toLowerCase().split('.').pop();
  const format = extension === 'csv' ? 'csv' : extension === 'jsonl' || extension === 'ndjson' ? 'jsonl' : undefined;
  if (!format) throw new UsageError(`${file}: the file must end in .csv, .jsonl or .ndjson`);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (format === 'jsonl' && !forceUpload && size <= INLINE_MAX_BYTES) {
    const items = jsonLines(await readFile(file, 'utf8'));
    if (items) return { items };
  }
  // CSV is always read by the service, so its column rules live in one place.
  note(ctx, `uploading ${basename(file)} (${formatCount(size)} bytes)…`);
  const upload = await ctx.client.createUpload({ filename: basename(file), format });
  await ctx.client.putUpload({ ...upload, headers: { ...upload.headers, 'Content-Length': String(size) } }, createReadStream(file) as never);
  return { source: { uploadId: upload.uploadId } };
}

/** The items of a JSON Lines text, or undefined when some line is not JSON (the service then reports it by line). */
function jsonLines(text: string): unknown[] | undefined {
  const items: unknown[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch {
      return undefined;
    }
    if (items.length > MAX_ITEMS_PER_REQUEST) return undefined;
  }
  return items;
}

export async function list(ctx: Context, values: Values): Promise<number> {
  const query = {
    type: oneOf(JOB_TYPES, stringOption(values, 'type'), 'type'),
    status: oneOf(JOB_STATUSES, stringOption(values, 'status'), 'status'),
    limit: integerOption(values, 'limit', 1, 100) ?? (values.all ? 100 : 20),
    cursor: stringOption(values, 'cursor'),
  };
  let page: JobList = await ctx.client.listJobs(query);
  const jobs = [...page.jobs];
  while (values.all && page.nextCursor) {
    page = await ctx.client.listJobs({ ...query, cursor: page.nextCursor });
    jobs.push(...page.jobs);
  }
  if (ctx.json) {
    printJson(ctx, { jobs, nextCursor: page.nextCursor });
    return EXIT.ok;
  }
  if (!jobs.length) print(ctx, 'no jobs');
  else {
    print(
      ctx,
      table(
        ['ID', 'TYPE', 'STATUS', 'PROGRESS', 'PROCESSED', 'FAILED', 'CREATED'],
        jobs.map((job) => [
          job.id,
          job.type,
          statusLabel(ctx.term, job),
          job.total === null ? 'counting' : `${job.progress}%`,
          `${formatCount(job.processed)}/${formatCount(job.total)}`,
          job.failed ? paint(ctx.term, 'yellow', formatCount(job.failed)) : '0',
          job.createdAt,
        ]),
      ),
    );
  }
  if (page.nextCursor) print(ctx, paint(ctx.term, 'grey', `more: merchantops jobs list --cursor ${page.nextCursor} (or --all)`));
  return EXIT.ok;
}

export async function show(ctx: Context, id: string): Promise<number> {
  const job = await ctx.client.getJob(id);
  if (ctx.json) printJson(ctx, job);
  else print(ctx, jobDetails(ctx.term, job));
  return EXIT.ok;
}

export async function failures(ctx: Context, id: string, values: Values): Promise<number> {
  const limit = integerOption(values, 'limit', 1, 1000) ?? (values.all ? 1000 : 20);
  let page = await ctx.client.listFailures(id, { limit, cursor: stringOption(values, 'cursor') });
  const items = [...page.failures];
  while (values.all && page.nextCursor) {
    page = await ctx.client.listFailures(id, { limit, cursor: page.nextCursor });
    items.push(...page.failures);
  }
  if (ctx.json) {
    printJson(ctx, { failures: items, nextCursor: page.nextCursor });
    return EXIT.ok;
  }
  if (!items.length) print(ctx, 'no failed items');
  else {
    const sku = (item: unknown) => {
      const value = (item as { sku?: unknown } | null)?.sku;
      return typeof value === 'string' ? value : '–';
    };
    print(
      ctx,
      table(
        ['INDEX', 'LINE', 'SKU', 'REASON'],
        items.map((failure) => [String(failure.index), failure.line ? String(failure.line) : '–', sku(failure.item), failure.reason]),
      ),
    );
  }
  if (page.nextCursor) print(ctx, paint(ctx.term, 'grey', `more: merchantops jobs failures ${id} --cursor ${page.nextCursor} (or --all)`));
  return EXIT.ok;
}

export async function retry(ctx: Context, id: string, values: Values): Promise<number> {
  const reason = stringOption(values, 'reason');
  const job = await ctx.client.retryJob(id, reason ? { reason } : {}, { idempotencyKey: stringOption(values, 'idempotency-key') });
  return started(ctx, job, values);
}

export async function cancel(ctx: Context, id: string): Promise<number> {
  const job = await ctx.client.cancelJob(id);
  if (ctx.json) printJson(ctx, job);
  else print(ctx, `${job.type} job ${job.id} ${statusLabel(ctx.term, job)}: ${formatCount(job.processed)} of ${formatCount(job.total)} items processed`);
  return EXIT.ok;
}

export async function download(ctx: Context, id: string, values: Values): Promise<number> {
  const wantsFailures = Boolean(values.failures);
  const link = wantsFailures ? await ctx.client.failuresFileLink(id) : await ctx.client.resultFileLink(id);
  const saved = await saveDownload(link.url, stringOption(values, 'output'), wantsFailures ? `failures-${id}.csv` : `export-${id}`);
  if (saved.file === '-') return EXIT.ok;
  if (ctx.json) printJson(ctx, saved);
  else print(ctx, `saved ${saved.file} (${formatCount(saved.bytes)} bytes)`);
  return EXIT.ok;
}

/** What a finished job means for the exit status. */
export function exitStatusOf(job: Job): number {
  const outcome = outcomeOf(job);
  return outcome === 'clean' ? EXIT.ok : outcome === 'with-failures' ? EXIT.completedWithFailures : EXIT.error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function watch(ctx: Context, id: string, values: Values): Promise<number> {
  const interval = integerOption(values, 'interval', 100, 60_000) ?? 1000;
  const { term } = ctx;
  const meter = new ProgressMeter();
  const live = term.tty && !ctx.json;
  let last: Job | undefined;
  let final: Job;
  let printedAt = 0;
  let restore = () => {};
  if (live) {
    term.out.write('\x1b[?25l'); // hide the cursor while the bar redraws
    const onInterrupt = () => {
      term.out.write('\x1b[?25h\n');
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    restore = () => {
      process.off('SIGINT', onInterrupt);
      term.out.write('\x1b[?25h');
    };
  }
  try {
    for (;;) {
      const job = await ctx.client.getJob(id); // conditional: 304 while nothing changed
      const estimate = meter.update(job);
      const done = isFinished(job);
      const now = Date.now();
      if (ctx.json) {
        if (job !== last) printJson(ctx, job);
      } else if (live) {
        term.out.write(`\r\x1b[2K${progressLine(term, job, estimate)}`);
      } else if (job !== last && (done || now - printedAt >= 1000)) {
        print(ctx, progressLine(term, job, estimate));
        printedAt = now;
      }
      last = job;
      if (done) {
        final = job;
        break;
      }
      await sleep(interval);
    }
  } finally {
    if (live) term.out.write('\n');
    restore();
  }
  if (!ctx.json) print(ctx, summary(term, final));
  return exitStatusOf(final);
}

function summary(term: Terminal, job: Job): string {
  const took = formatDuration(((job.completedAt ? Date.parse(job.completedAt) : Date.now()) - Date.parse(job.createdAt)) / 1000);
  switch (outcomeOf(job)) {
    case 'clean':
      return `${statusLabel(term, job)}: ${formatCount(job.processed)} items in ${took}`;
    case 'with-failures':
      return [
        `${statusLabel(term, job)}: ${formatCount(job.succeeded)} of ${formatCount(job.total)} items succeeded, ${formatCount(job.failed)} failed (${took})`,
        ...job.failureSummary.slice(0, 5).map(({ reason, count }) => `  ${formatCount(count).padStart(6)}  ${reason}`),
        paint(term, 'grey', `see them: merchantops jobs failures ${job.id}   retry them: merchantops jobs retry ${job.id}`),
      ].join('\n');
    default:
      return job.status === 'failed'
        ? `${statusLabel(term, job)}: ${job.error ?? 'the job failed'}`
        : `${statusLabel(term, job)}: ${formatCount(job.processed)} of ${formatCount(job.total)} items processed`;
  }
}
