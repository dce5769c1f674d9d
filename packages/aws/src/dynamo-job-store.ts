import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Job, JobStatus } from '@merchantops/core/jobs/job';
import { isFinished } from '@merchantops/core/jobs/status';
import { ACTIVE_STATUSES, MOVES } from '@merchantops/core/jobs/lifecycle';
import type { ChunkCommit, CommitOutcome, Failure, JobStore, Page, Upload } from '@merchantops/core/ports';
import { boundFailures, failureBounds, tallyReasons } from '@merchantops/core/jobs/chunk-record';
import { cancellationCodes, isConditionFailed, retryConflicts } from './dynamo-errors';
import { badRequest } from '@merchantops/core/shared/errors';
import { decodeCursor, encodeCursor } from './cursor';
import { MAX_RETRIES, tooManyRetries } from '@merchantops/core/jobs/retry-limit';

const DAY = 24 * 3600;
/** Chunk errors only need to outlive redeliveries (queue retention is 14 days). */
const MARKER_TTL = 14 * DAY;
/** Chunk records carry the failures, which stay listable (and retryable) this long. */
const FAILURE_TTL = 90 * DAY;
const IDEMPOTENCY_TTL = 1 * DAY;
const UPLOAD_TTL = 7 * DAY;

/** Partition of the sparse index of queued and running jobs (what the sweeper reads). */
const ACTIVE = 'ACTIVE';

const jobKey = (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' });
const chunkSk = (n: number) => `CHUNK#${String(n).padStart(10, '0')}`;
const CHUNK_SK_END = 'CHUNK#~';
/**
 * Chunk records are spread over this many partition keys per job, away from
 * the job record: at a high failure rate they carry most of a job's write
 * units, and one partition key takes about 1,000 a second.
 */
const CHUNK_SHARDS = 16;
const chunkPk = (jobId: string, n: number) => `JOB#${jobId}#S${String(n % CHUNK_SHARDS).padStart(2, '0')}`;
const shardPks = (jobId: string) => Array.from({ length: CHUNK_SHARDS }, (_, shard) => chunkPk(jobId, shard));
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

// Reserved words (status, total, processed...) always go through #names.
const completionNames = { '#status': 'status', '#total': 'total', '#processed': 'processed', '#updatedAt': 'updatedAt' };

export class DynamoJobStore implements JobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(job: Job, idempotency?: { key: string; requestHash: string }): Promise<{ job: Job; created: boolean; requestHash?: string }> {
    const item = {
      ...jobKey(job.id),
      gsi1pk: `TENANT#${job.tenantId}`,
      gsi1sk: `${job.createdAt}#${job.id}`,
      ...(isFinished(job.status) ? {} : { gsi2pk: ACTIVE, gsi2sk: `${job.createdAt}#${job.id}` }),
      result: {},
      failureReasons: {},
      otherReasons: 0,
      // Items not finished yet: lets a commit tell, by its condition alone, whether it is the last.
      remaining: job.planning ? 0 : job.total - job.processed,
      ...job,
    };
    const idemKey = idempotency && { pk: `IDEM#${job.tenantId}#${idempotency.key}`, sk: 'IDEM' };
    const now = epoch(this.now());
    const actions: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
    if (idemKey) {
      actions.push({
        Put: {
          TableName: this.table,
          Item: { ...idemKey, jobId: job.id, requestHash: idempotency!.requestHash, expiresAt: now + IDEMPOTENCY_TTL },
          // An expired key that TTL has not deleted yet counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': now },
        },
      });
    }
    actions.push({ Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } });
    if (job.retryOf) {
      // The link both ways is written with the job, so neither side can be missing.
      actions.push({
        Update: {
          TableName: this.table,
          Key: jobKey(job.retryOf),
          UpdateExpression: 'SET retries = list_append(if_not_exists(retries, :empty), :id)',
          // Bounded, so the job record stays small: retry the latest retry instead.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(retries) OR size(retries) < :max)',
          ExpressionAttributeValues: { ':empty': [], ':id': [job.id], ':max': MAX_RETRIES },
        },
      });
    }
    try {
      await retryConflicts(() => this.db.send(new TransactWriteCommand({ TransactItems: actions })));
      return { job, created: true };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (job.retryOf && codes?.at(-1) === 'ConditionalCheckFailed') {
        throw tooManyRetries(job.retryOf);
      }
      if (!idemKey || codes?.[0] !== 'ConditionalCheckFailed') throw error;
    }
    const existing = await this.findByIdempotencyKey(job.tenantId, idempotency!.key);
    if (!existing) throw new Error(`idempotency key ${idempotency!.key} points to a missing job`);
    return { ...existing, created: false };
  }

  async findByIdempotencyKey(tenantId: string, key: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `IDEM#${tenantId}#${key}`, sk: 'IDEM' }, ConsistentRead: true }),
    );
    // An expired key that TTL has not deleted yet counts as absent.
    if (!Item || (Item.expiresAt as number) < epoch(this.now())) return undefined;
    const job = await this.get(Item.jobId as string);
    return job ? { job, requestHash: Item.requestHash as string } : undefined;
  }

  async get(jobId: string): Promise<Job | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: jobKey(jobId), ConsistentRead: true }));
    return Item ? toJob(Item) : undefined;
  }

  async list(tenantId: string, filter: { type?: string; status?: JobStatus }, limit: number, cursor?: string) {
    const gsi1pk = `TENANT#${tenantId}`;
    let startKey = decodeCursor(cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk'], { gsi1pk, sk: 'JOB' });
    const conditions: string[] = [];
    const values: Record<string, unknown> = { ':tenant': gsi1pk };
    const filterNames: Record<string, string> = {};
    if (filter.type) {
      conditions.push('#type = :type');
      values[':type'] = filter.type;
      filterNames['#type'] = 'type';
    }
    if (filter.status) {
      conditions.push('#status = :status');
      values[':status'] = filter.status;
      filterNames['#status'] = 'status';
    }
    const keys: Record<string, unknown>[] = [];
    // Limit applies before the filter, so read page by page, never past `limit`
    // evaluated items, so the cursor stays exact. Bounded to keep latency sane.
    for (let page = 0; page < 10 && keys.length < limit; page++) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :tenant',
          FilterExpression: conditions.length ? conditions.join(' AND ') : undefined,
          ExpressionAttributeNames: conditions.length ? filterNames : undefined,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit - keys.length,
          ExclusiveStartKey: startKey,
        }),
      );
      keys.push(...(result.Items ?? []).map(({ pk, sk }) => ({ pk, sk })));
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
    return { items: await this.getMany(keys), nextCursor: encodeCursor(startKey) };
  }

  /**
   * The jobs behind index keys, in their order. The tenant index holds only
   * keys, type and status, so that counter updates never write it.
   */
  private async getMany(keys: Record<string, unknown>[]): Promise<Job[]> {
    const found = new Map<string, Record<string, unknown>>();
    let pending = keys;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error(`DynamoDB left ${pending.length} job reads unprocessed`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[this.table] ?? []) found.set(String(item.pk), item);
      pending = (UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
    }
    return keys.flatMap((key) => {
      const item = found.get(String(key.pk));
      return item ? [toJob(item)] : [];
    });
  }

  async listFailures(jobId: string, limit: number, cursor?: string): Promise<Page<Failure>> {
    // The cursor names the chunk to go on from and how many of its failures were listed.
    const at = decodeCursor(cursor, ['job', 'n', 'skip'], { job: jobId });
    if (at && (!/^\d{1,10}$/.test(String(at.n)) || !/^\d{1,4}$/.test(String(at.skip)))) {
      throw badRequest('cursor: is not a valid cursor');
    }
    const next = (n: number, skip: number) => encodeCursor({ job: jobId, n: String(n), skip: String(skip) });
    const items: Failure[] = [];
    let from = at ? Number(at.n) : 0;
    let skip = at ? Number(at.skip) : 0;
    // Records are spread over shards, each in chunk order: read every shard from `from`, then use
    // only the records up to the lowest chunk a shard stopped at, where all shards are complete.
    for (let round = 0; round < 10; round++) {
      const pages = await Promise.all(
        shardPks(jobId).map((pk) =>
          this.db.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              FilterExpression: 'failed > :none',
              ExpressionAttributeValues: { ':pk': pk, ':from': chunkSk(from), ':to': CHUNK_SK_END, ':none': 0 },
              ConsistentRead: true,
              Limit: 20,
            }),
          ),
        ),
      );
      const stops = pages.flatMap((page) => (page.LastEvaluatedKey ? [chunkNumber(page.LastEvaluatedKey.sk)] : []));
      const complete = stops.length ? Math.min(...stops) : Infinity;
      const records = pages
        .flatMap((page) => page.Items ?? [])
        .filter((record) => (record.n as number) <= complete)
        .sort((a, b) => (a.n as number) - (b.n as number));
      for (const record of records) {
        const failures = (record.failures ?? []) as Failure[];
        const wanted = failures.slice(skip, skip + (limit - items.length));
        items.push(...wanted);
        const taken = skip + wanted.length;
        skip = 0;
        if (items.length >= limit) {
          return { items, nextCursor: taken < failures.length ? next(record.n as number, taken) : next((record.n as number) + 1, 0) };
        }
      }
      if (complete === Infinity) return { items, nextCursor: null };
      from = complete + 1;
    }
    return { items, nextCursor: next(from, 0) };
  }

  async transition(jobId: string, from: readonly JobStatus[], to: JobStatus, error?: string): Promise<Job | undefined> {
    const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    const now = this.now().toISOString();
    // A finished job records when it finished and leaves the index of active jobs.
    const finish = isFinished(to) ? ', completedAt = :now REMOVE gsi2pk, gsi2sk, stalledAt, stalledRedrives' : '';
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(jobId),
          UpdateExpression: `SET #status = :to, #updatedAt = :now${error ? ', #error = :error' : ''}${finish}`,
          ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#updatedAt': 'updatedAt',
            ...(error ? { '#error': 'error' } : {}),
          },
          ExpressionAttributeValues: { ...fromValues, ':to': to, ':now': now, ...(error ? { ':error': error.slice(0, 1000) } : {}) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toJob(Attributes!);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  async commitChunk(jobId: string, commit: ChunkCommit, options: { completeWhenDone?: boolean } = {}): Promise<CommitOutcome> {
    const failures = boundFailures(commit.failures);
    const tally = tallyReasons(failures);
    // First without reading the job; after a refused condition, with what a read says.
    let known: StoredJob | undefined;
    for (let attempt = 1; ; attempt++) {
      const reasons = known ? new Set(Object.keys(known.failureReasons ?? {})) : this.fullSummaries.get(jobId);
      const plan = commitPlan(commit, failures.length, tally, known, reasons, options.completeWhenDone ?? true);
      try {
        await retryConflicts(() => this.db.send(new TransactWriteCommand({ TransactItems: this.commitActions(jobId, commit, failures, plan) })));
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] === 'ConditionalCheckFailed') return { status: 'duplicate' };
        if (codes?.[1] !== 'ConditionalCheckFailed' || attempt >= 8) throw error;
        // The job is gone or finished, or this is its last chunk, or its reason summary is full.
        known = await this.getStored(jobId);
        if (!known || isFinished(known.status)) return { status: 'inactive' };
        this.rememberSummary(known);
        continue;
      }
      if (!plan.last) return { status: 'committed', done: false };
      return { status: 'committed', done: true, ...(plan.complete ? { completed: await this.get(jobId) } : {}) };
    }
  }

  private commitActions(jobId: string, commit: ChunkCommit, failures: Failure[], plan: CommitPlan): TransactItems {
    const now = this.now();
    const record = {
      pk: chunkPk(jobId, commit.chunk),
      sk: chunkSk(commit.chunk),
      n: commit.chunk,
      processed: commit.processed,
      failed: failures.length,
      committedAt: now.toISOString(),
      expiresAt: epoch(now) + FAILURE_TTL,
      ...(failures.length ? { failures } : {}),
    };
    return [
      // The record makes the whole commit happen at most once per chunk.
      { Put: { TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Update: {
          TableName: this.table,
          Key: jobKey(jobId),
          UpdateExpression: plan.update,
          ConditionExpression: plan.condition,
          ExpressionAttributeNames: plan.names,
          ExpressionAttributeValues: { ...plan.values, ':now': now.toISOString() },
        },
      },
    ];
  }

  async committedChunks(jobId: string): Promise<Set<number>> {
    const committed = new Set<number>();
    await Promise.all(
      shardPks(jobId).map(async (pk) => {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': pk },
              ProjectionExpression: 'n',
              ConsistentRead: true,
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) committed.add(item.n as number);
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    );
    return committed;
  }

  async listActive(limit: number, cursor?: string): Promise<Page<Job>> {
    const startKey = decodeCursor(cursor, ['pk', 'sk', 'gsi2pk', 'gsi2sk'], { gsi2pk: ACTIVE, sk: 'JOB' });
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :active',
        ExpressionAttributeValues: { ':active': ACTIVE },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    // The index holds keys only: read each job itself, current and consistent.
    const jobs = await Promise.all((result.Items ?? []).map((key) => this.get(String(key.pk).slice('JOB#'.length))));
    return { items: jobs.filter((job): job is Job => Boolean(job)), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  async markStalled(jobId: string, stalledRedrives: number): Promise<Job | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(jobId),
          UpdateExpression: 'SET stalledAt = if_not_exists(stalledAt, :now), redrivenAt = :now, stalledRedrives = :redrives',
          ConditionExpression: `#status IN (${statusList(ACTIVE_STATUSES)})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':now': this.now().toISOString(), ':redrives': stalledRedrives, ...statusValues(ACTIVE_STATUSES) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toJob(Attributes!);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  /**
   * Reason names of jobs whose summary is (nearly) full, so that their next
   * commits do not each try to add a name, fail the condition and read.
   * Only a hint: a commit's condition still checks the real summary.
   */
  private readonly fullSummaries = new Map<string, Set<string>>();

  private rememberSummary(job: StoredJob) {
    const names = Object.keys(job.failureReasons ?? {});
    if (names.length < failureBounds.reasonsPerJob - failureBounds.reasonsPerChunk) return;
    if (this.fullSummaries.size >= 100) this.fullSummaries.delete(this.fullSummaries.keys().next().value!);
    this.fullSummaries.set(job.id, new Set(names));
  }

  private async getStored(jobId: string): Promise<StoredJob | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: jobKey(jobId), ConsistentRead: true }));
    return Item as StoredJob | undefined;
  }

  async complete(jobId: string, result?: Record<string, string | number>): Promise<Job | undefined> {
    const now = this.now().toISOString();
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(jobId),
          UpdateExpression: `SET #status = :completed, completedAt = :now, #updatedAt = :now${result ? ', #result = :result' : ''} REMOVE gsi2pk, gsi2sk, stalledAt, stalledRedrives`,
          ConditionExpression:
            `#status IN (${statusList(MOVES.complete.from)}) AND #processed >= #total AND attribute_not_exists(planning)`,
          ExpressionAttributeNames: { ...completionNames, ...(result ? { '#result': 'result' } : {}) },
          ExpressionAttributeValues: {
            ':completed': MOVES.complete.to,
            ...statusValues(MOVES.complete.from),
            ':now': now,
            ...(result ? { ':result': result } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toJob(Attributes!);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  async finishPlanning(jobId: string, total: number, chunkCount: number): Promise<Job | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(jobId),
          // Commits during planning took their items off `remaining` (from 0); adding the total makes it exact.
          UpdateExpression: 'SET #total = :total, chunkCount = :chunks, #updatedAt = :now ADD remaining :total REMOVE planning',
          ConditionExpression: 'attribute_exists(planning)',
          ExpressionAttributeNames: { '#total': 'total', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':total': total, ':chunks': chunkCount, ':now': this.now().toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toJob(Attributes!);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  async saveUpload(upload: Upload): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `UPLOAD#${upload.id}`, sk: 'UPLOAD', ...upload, expiresAt: epoch(this.now()) + UPLOAD_TTL },
      }),
    );
  }

  async getUpload(uploadId: string): Promise<Upload | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' }, ConsistentRead: true }),
    );
    // TTL deletes lazily: an expired upload is gone for us already.
    if (!Item || (Item.expiresAt as number) < epoch(this.now())) return undefined;
    const { pk, sk, expiresAt, ...upload } = Item;
    return upload as Upload;
  }

  async recordChunkError(jobId: string, chunk: number, error: string): Promise<void> {
    const now = this.now();
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: jobKey(jobId).pk,
          sk: `CHUNKERR#${chunk}`,
          error: error.slice(0, 1000),
          at: now.toISOString(),
          expiresAt: epoch(now) + MARKER_TTL,
        },
      }),
    );
  }

  async lastChunkError(jobId: string, chunk: number): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: jobKey(jobId).pk, sk: `CHUNKERR#${chunk}` }, ConsistentRead: true }),
    );
    return Item?.error as string | undefined;
  }
}

/** `:queued, :running` and their values: status conditions from the lifecycle's data. */
const statusList = (statuses: readonly string[]) => statuses.map((status) => `:${status}`).join(', ');
const statusValues = (statuses: readonly string[]) => Object.fromEntries(statuses.map((status) => [`:${status}`, status]));

const chunkNumber = (sk: unknown) => Number(String(sk).slice('CHUNK#'.length));

function toJob(item: Record<string, unknown>): Job {
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, remaining, ...job } = item;
  return job as unknown as Job;
}

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** The job record as stored, with the bookkeeping the domain does not see. */
type StoredJob = Job & { remaining?: number };

interface CommitPlan {
  update: string;
  condition: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
  /** The commit counts the job's last items. */
  last: boolean;
  /** ...and completes the job. */
  complete: boolean;
}

/**
 * The job update of a chunk commit: counters, result counts and reasons, at
 * most `reasonsPerChunk` reasons by name (so the expression stays far below
 * 4 KB) and never more than `reasonsPerJob` names on the job (the rest are
 * `otherReasons`). Without a read (`known` undefined) it assumes this is not
 * the last chunk and that the summary has room, and lets the condition check
 * both; after a refusal, the caller reads the job and plans again with it.
 */
function commitPlan(
  commit: ChunkCommit,
  failed: number,
  tally: ReturnType<typeof tallyReasons>,
  known: StoredJob | undefined,
  existing: Set<string> | undefined,
  completeWhenDone: boolean,
): CommitPlan {
  const names: Record<string, string> = {
    '#status': 'status',
    '#processed': 'processed',
    '#failed': 'failed',
    '#remaining': 'remaining',
    '#updatedAt': 'updatedAt',
  };
  const values: Record<string, unknown> = {
    ':processed': commit.processed,
    ':failed': failed,
    ':minus': -commit.processed,
    ...statusValues(ACTIVE_STATUSES),
  };
  const sets = ['#updatedAt = :now'];
  const conditions = [`#status IN (${statusList(ACTIVE_STATUSES)})`];

  Object.entries(commit.result ?? {})
    .filter(([, count]) => count !== 0)
    .forEach(([key, count], i) => {
      names['#result'] = 'result';
      names[`#c${i}`] = key;
      values[`:c${i}`] = count;
      values[':zero'] = 0;
      sets.push(`#result.#c${i} = if_not_exists(#result.#c${i}, :zero) + :c${i}`);
    });

  // Reasons by name: all of the chunk's top ones while the job has room for
  // new names (checked by the condition), else only the names it already has.
  const room = existing ? failureBounds.reasonsPerJob - existing.size : failureBounds.reasonsPerJob;
  let other = tally.other;
  let added = 0;
  let i = 0;
  for (const [reason, count] of tally.named) {
    const isNew = !existing?.has(reason);
    if (isNew && added >= room) {
      other += count;
      continue;
    }
    if (isNew) added++;
    names['#reasons'] = 'failureReasons';
    names[`#r${i}`] = reason;
    values[`:r${i}`] = count;
    values[':zero'] = 0;
    sets.push(`#reasons.#r${i} = if_not_exists(#reasons.#r${i}, :zero) + :r${i}`);
    i++;
  }
  if (added > 0) {
    values[':roomFor'] = failureBounds.reasonsPerJob - added;
    conditions.push('size(#reasons) <= :roomFor');
  }
  const adds = ['#processed :processed', '#failed :failed', '#remaining :minus'];
  if (other > 0) {
    values[':other'] = other;
    adds.push('otherReasons :other');
  }

  const last = known !== undefined && !known.planning && known.remaining === commit.processed;
  const complete = last && completeWhenDone;
  if (last) {
    values[':last'] = commit.processed;
    conditions.push('#remaining = :last', 'attribute_not_exists(planning)');
  } else {
    conditions.push('(attribute_exists(planning) OR #remaining > :processed)');
  }
  if (complete) {
    values[':completed'] = MOVES.complete.to;
    sets.push('#status = :completed', 'completedAt = :now');
  }
  // Progress clears the stall (and its count of re-drives without progress).
  const removes = ['stalledAt', 'stalledRedrives', ...(complete ? ['gsi2pk', 'gsi2sk'] : [])];
  return {
    update: `SET ${sets.join(', ')} ADD ${adds.join(', ')} REMOVE ${removes.join(', ')}`,
    condition: conditions.join(' AND '),
    names,
    values,
    last,
    complete,
  };
}
