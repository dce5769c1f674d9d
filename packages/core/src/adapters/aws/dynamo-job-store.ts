import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Job, JobStatus } from '../../jobs/job';
import { isFinished } from '../../jobs/status';
import type { CommitResult, Failure, JobStore, Page, Upload } from '../../ports';
import { cancellationCodes, isConditionFailed, retryConflicts } from './dynamo-errors';
import { badRequest } from '../../shared/errors';
import { decodeCursor, encodeCursor } from './cursor';

const DAY = 24 * 3600;
/** Chunk markers only need to outlive redeliveries (queue retention is 4 days). */
const MARKER_TTL = 14 * DAY;
const FAILURE_TTL = 90 * DAY;
const IDEMPOTENCY_TTL = 1 * DAY;
const UPLOAD_TTL = 7 * DAY;
/** Keys of the per-reason failure summary are cut to this length. */
const REASON_KEY_LENGTH = 200;

const jobKey = (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' });
const failureSk = (index: number) => `FAIL#${String(index).padStart(10, '0')}`;
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

// Reserved words (status, total, processed...) always go through #names.
const completionNames = { '#status': 'status', '#total': 'total', '#processed': 'processed', '#updatedAt': 'updatedAt' };

export class DynamoJobStore implements JobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(job: Job, idempotency?: { key: string; requestHash: string }) {
    const item = {
      ...jobKey(job.id),
      gsi1pk: `TENANT#${job.tenantId}`,
      gsi1sk: `${job.createdAt}#${job.id}`,
      result: {},
      failureReasons: {},
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
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':empty': [], ':id': [job.id] },
        },
      });
    }
    try {
      await retryConflicts(() => this.db.send(new TransactWriteCommand({ TransactItems: actions })));
      return { job, created: true };
    } catch (error) {
      if (!idemKey || cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    }
    const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: idemKey, ConsistentRead: true }));
    const stored = existing.Item && (await this.get(existing.Item.jobId as string));
    if (!stored) throw new Error(`idempotency key ${idempotency!.key} points to a missing job`);
    return { job: stored, created: false, requestHash: existing.Item!.requestHash as string };
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
    const jobs: Job[] = [];
    // Limit applies before the filter, so read page by page, never past `limit`
    // evaluated items, so the cursor stays exact. Bounded to keep latency sane.
    for (let page = 0; page < 10 && jobs.length < limit; page++) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :tenant',
          FilterExpression: conditions.length ? conditions.join(' AND ') : undefined,
          ExpressionAttributeNames: conditions.length ? filterNames : undefined,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit - jobs.length,
          ExclusiveStartKey: startKey,
        }),
      );
      jobs.push(...(result.Items ?? []).map(toJob));
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
    return { items: jobs, nextCursor: encodeCursor(startKey) };
  }

  async listFailures(jobId: string, limit: number, cursor?: string): Promise<Page<Failure>> {
    const pk = jobKey(jobId).pk;
    const startKey = decodeCursor(cursor, ['pk', 'sk'], { pk });
    if (startKey && !String(startKey.sk).startsWith('FAIL#')) throw badRequest('cursor: is not a valid cursor');
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :fail)',
        ExpressionAttributeValues: { ':pk': pk, ':fail': 'FAIL#' },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = (result.Items ?? []).map(
      ({ index, item, reason, attempts, line }) => ({ index, item, reason, attempts, line }) as Failure,
    );
    return { items, nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  async transition(jobId: string, from: readonly JobStatus[], to: JobStatus, error?: string): Promise<Job | undefined> {
    const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    const now = this.now().toISOString();
    // A finished job records when it finished.
    const finish = isFinished(to) ? ', completedAt = :now' : '';
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(jobId),
          UpdateExpression: `SET #status = :to, #updatedAt = :now${finish}${error ? ', #error = :error' : ''}`,
          ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#updatedAt': 'updatedAt',
            ...(error ? { '#error': 'error' } : {}),
          },
          ExpressionAttributeValues: { ...fromValues, ':to': to, ':now': now, ...(error ? { ':error': error } : {}) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toJob(Attributes!);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  async commitChunk(
    jobId: string,
    chunk: number,
    counts: { processed: number; failed: number; result?: Record<string, number> },
    failures: Failure[],
  ): Promise<CommitResult> {
    const now = this.now();
    const expiresAt = epoch(now);
    const pk = jobKey(jobId).pk;
    const counters = counterUpdate(counts.result ?? {}, reasonCounts(failures));
    try {
      await retryConflicts(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                // The marker makes the whole commit happen at most once per chunk.
                Put: {
                  TableName: this.table,
                  Item: { pk, sk: `CHUNK#${chunk}`, committedAt: now.toISOString(), expiresAt: expiresAt + MARKER_TTL },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: this.table,
                  Key: jobKey(jobId),
                  UpdateExpression: `ADD #processed :processed, #failed :failed SET #updatedAt = :now${counters.set}`,
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeNames: {
                    '#processed': 'processed',
                    '#failed': 'failed',
                    '#updatedAt': 'updatedAt',
                    ...counters.names,
                  },
                  ExpressionAttributeValues: {
                    ':processed': counts.processed,
                    ':failed': counts.failed,
                    ':now': now.toISOString(),
                    ...counters.values,
                  },
                },
              },
              ...failures.map((failure) => ({
                Put: {
                  TableName: this.table,
                  Item: { pk, sk: failureSk(failure.index), ...failure, chunk, expiresAt: expiresAt + FAILURE_TTL },
                },
              })),
            ],
          }),
        ),
      );
      return 'committed';
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return 'duplicate';
      throw error;
    }
  }

  async complete(jobId: string, result?: Record<string, string | number>): Promise<Job | undefined> {
    const now = this.now().toISOString();
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(jobId),
          UpdateExpression: `SET #status = :completed, completedAt = :now, #updatedAt = :now${result ? ', #result = :result' : ''}`,
          ConditionExpression:
            '#status IN (:queued, :running) AND #processed >= #total AND attribute_not_exists(planning)',
          ExpressionAttributeNames: { ...completionNames, ...(result ? { '#result': 'result' } : {}) },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':queued': 'queued',
            ':running': 'running',
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
          UpdateExpression: 'SET #total = :total, chunkCount = :chunks, #updatedAt = :now REMOVE planning',
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

function toJob(item: Record<string, unknown>): Job {
  const { pk, sk, gsi1pk, gsi1sk, ...job } = item;
  return job as unknown as Job;
}

/** Failed items per reason, keyed by the (shortened) reason. */
function reasonCounts(failures: Failure[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { reason } of failures) {
    const key = reason.slice(0, REASON_KEY_LENGTH);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * SET clauses adding to entries of the `result` and `failureReasons` maps.
 * (ADD only works on top-level attributes; both maps exist from job creation.)
 */
function counterUpdate(result: Record<string, number>, reasons: Record<string, number>) {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const add = (map: string, entries: Record<string, number>, tag: string) => {
    Object.entries(entries)
      .filter(([, value]) => value !== 0)
      .forEach(([key, value], i) => {
        names[`#${map}`] = map;
        names[`#${tag}${i}`] = key;
        values[`:${tag}${i}`] = value;
        values[':zero'] = 0;
        clauses.push(`#${map}.#${tag}${i} = if_not_exists(#${map}.#${tag}${i}, :zero) + :${tag}${i}`);
      });
  };
  add('result', result, 'c');
  add('failureReasons', reasons, 'r');
  return { set: clauses.length ? `, ${clauses.join(', ')}` : '', names, values };
}
