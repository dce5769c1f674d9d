/**
 * Counts the AWS requests SDK clients make, with a middleware added to each
 * client instance (no change to the code that uses the clients), and keeps
 * what is needed to price DynamoDB writes and reads by AWS's rules afterwards.
 */
import { BatchGetItemCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  itemSize,
  readUnits,
  toItem,
  touchedAttributes,
  writeUnits,
  type Item,
  type ReadAction,
  type TableShape,
  type WriteAction,
} from './write-units';

export type Service = 'DynamoDB' | 'SQS' | 'S3';

export interface OpCount {
  /** HTTP requests (every attempt, retries included). */
  count: number;
  /** Of those, answered with an error (e.g. a failed condition, a cancelled transaction). */
  errors: number;
  /** SQS bills each 64 KB of payload as one request; for other services equal to count. */
  billed: number;
  /** Time spent waiting for these requests, summed over concurrent ones (where the wall time goes, roughly). */
  ms: number;
}

/** A write whose size is only known after the run (updates and deletes): priced once the item is read back. */
interface PendingWrite {
  table: string;
  kind: WriteAction['kind'];
  key?: Item;
  item?: Item;
  touched?: string[];
  transactional: boolean;
}

interface PendingRead extends ReadAction {
  table: string;
}

export interface Capacity {
  write: number;
  read: number;
  /** Write units of global secondary index copies (included in write). */
  indexWrite: number;
}

export interface MeterTotals {
  ops: Record<string, OpCount>;
  /** DynamoDB Local's own ConsumedCapacity (asked for with ReturnConsumedCapacity). */
  local: Capacity;
}

export interface MeterMark extends MeterTotals {
  reads: number;
}

const SQS_BILLING_CHUNK = 64 * 1024;
const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READ_OPS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
/** Receives that found nothing: idle pollers, priced by wall time rather than by items. */
export const EMPTY_RECEIVE = 'SQS ReceiveMessage (empty)';

type Middleware = (next: (args: any) => Promise<any>, context: any) => (args: any) => Promise<any>;
interface MiddlewareClient {
  middlewareStack: { add(middleware: Middleware, options: Record<string, unknown>): void };
}

export class Meter {
  private ops: Record<string, OpCount> = {};
  private local: Capacity = { write: 0, read: 0, indexWrite: 0 };
  private writes: PendingWrite[] = [];
  private reads: PendingRead[] = [];
  private recording = true;

  /** Adds the counting middleware to a client; returns the same client. */
  attach<C extends MiddlewareClient>(client: C, service: Service): C {
    if (service === 'DynamoDB') {
      // Ask DynamoDB Local to report what it charges; the answer is summed below.
      client.middlewareStack.add(
        (next) => (args) => next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'INDEXES' } }),
        { step: 'initialize', priority: 'high', name: 'benchConsumedCapacity' },
      );
    }
    // After the retry middleware: each HTTP attempt is seen (and billed) once.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const op = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        // The document client's commands hand back plain values; the SDK's own, AttributeValues.
        const plain = Boolean(context.__aws_sdk_context?.features?.DDB_MAPPER);
        const started = performance.now();
        try {
          const result = await next(args);
          this.record(service, op, args.input, result.output, plain, false, performance.now() - started);
          return result;
        } catch (error) {
          this.record(service, op, args.input, undefined, plain, true, performance.now() - started);
          throw error;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchMeter' },
    );
    return client;
  }

  /** Counting starts afresh (e.g. after setting up tenants and keys). */
  reset(): void {
    this.ops = {};
    this.local = { write: 0, read: 0, indexWrite: 0 };
    this.writes = [];
    this.reads = [];
    this.recording = true;
  }

  /** Stops recording: whatever the clients do afterwards is not part of the measurement. */
  stop(): void {
    this.recording = false;
  }

  /** A point in the recording, to price what happened between two marks. */
  mark(): MeterMark {
    return { ...this.totals(), reads: this.reads.length };
  }

  /** Read units by AWS's rules of the reads between two marks. */
  readUnitsBetween(from: MeterMark, to: MeterMark): number {
    return this.reads.slice(from.reads, to.reads).reduce((sum, read) => sum + readUnits(read), 0);
  }

  totals(): MeterTotals {
    return { ops: structuredClone(this.ops), local: { ...this.local } };
  }

  private count(name: string, error: boolean, ms: number, billed = 1) {
    const entry = (this.ops[name] ??= { count: 0, errors: 0, billed: 0, ms: 0 });
    entry.count++;
    entry.ms += ms;
    entry.billed += billed;
    if (error) entry.errors++;
  }

  private record(service: Service, op: string, input: any, output: any, plain: boolean, error: boolean, ms: number) {
    if (!this.recording) return;
    if (service === 'SQS') return this.recordSqs(op, input, output, error, ms);
    this.count(`${service} ${op}`, error, ms);
    if (service !== 'DynamoDB') return;
    const asItem = (value: any): Item | undefined => (value ? (plain ? toItem(value) : value) : undefined);
    this.recordCapacity(op, output?.ConsumedCapacity);
    this.recordWrites(op, input, output, error);
    this.recordReads(op, input, output, asItem);
  }

  private recordSqs(op: string, input: any, output: any, error: boolean, ms: number) {
    const bytes = (texts: (string | undefined)[]) => texts.reduce((sum, t) => sum + Buffer.byteLength(t ?? ''), 0);
    const chunks = (n: number) => Math.max(1, Math.ceil(n / SQS_BILLING_CHUNK));
    if (op === 'SendMessageBatch') this.count(`SQS ${op}`, error, ms, chunks(bytes(input.Entries.map((e: any) => e.MessageBody))));
    else if (op === 'SendMessage') this.count(`SQS ${op}`, error, ms, chunks(bytes([input.MessageBody])));
    else if (op === 'ReceiveMessage') {
      const messages: any[] = output?.Messages ?? [];
      if (messages.length === 0) this.count(EMPTY_RECEIVE, error, ms);
      else this.count(`SQS ${op}`, error, ms, chunks(bytes(messages.map((m) => m.Body))));
    } else this.count(`SQS ${op}`, error, ms);
  }

  private recordCapacity(op: string, consumed: any) {
    const entries: any[] = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    for (const entry of entries) {
      const indexes = Object.values(entry.GlobalSecondaryIndexes ?? {}).reduce(
        (sum: number, index: any) => sum + (index.CapacityUnits ?? 0),
        0,
      );
      if (WRITE_OPS.has(op)) {
        this.local.write += entry.CapacityUnits ?? 0;
        this.local.indexWrite += indexes;
      } else if (READ_OPS.has(op)) this.local.read += entry.CapacityUnits ?? 0;
    }
  }

  private recordWrites(op: string, input: any, output: any, error: boolean) {
    const put = (table: string, item: Item, transactional: boolean) =>
      this.writes.push({ table, kind: 'put', item, transactional });
    const keyed = (table: string, kind: WriteAction['kind'], key: Item, transactional: boolean, update?: any) =>
      this.writes.push({
        table,
        kind,
        key,
        transactional,
        touched: update ? touchedAttributes(update.UpdateExpression ?? '', update.ExpressionAttributeNames) : undefined,
      });
    if (op === 'PutItem') put(input.TableName, input.Item, false);
    else if (op === 'UpdateItem') keyed(input.TableName, 'update', input.Key, false, input);
    else if (op === 'DeleteItem') keyed(input.TableName, 'delete', input.Key, false);
    else if (op === 'BatchWriteItem' && !error) {
      // What DynamoDB handed back unprocessed was not written (and is sent again, then counted).
      const unprocessed = new Set(
        Object.values(output?.UnprocessedItems ?? {}).flatMap((requests: any) => requests.map((r: any) => JSON.stringify(r))),
      );
      for (const [table, requests] of Object.entries(input.RequestItems as Record<string, any[]>)) {
        for (const request of requests) {
          if (unprocessed.has(JSON.stringify(request))) continue;
          if (request.PutRequest) put(table, request.PutRequest.Item, false);
          else if (request.DeleteRequest) keyed(table, 'delete', request.DeleteRequest.Key, false);
        }
      }
    } else if (op === 'TransactWriteItems') {
      // A cancelled transaction is priced like a committed one (AWS charges its prepare phase).
      for (const action of input.TransactItems as any[]) {
        if (action.Put) put(action.Put.TableName, action.Put.Item, true);
        else if (action.Update) keyed(action.Update.TableName, 'update', action.Update.Key, true, action.Update);
        else if (action.Delete) keyed(action.Delete.TableName, 'delete', action.Delete.Key, true);
        else if (action.ConditionCheck) keyed(action.ConditionCheck.TableName, 'check', action.ConditionCheck.Key, true);
      }
    }
  }

  private recordReads(op: string, input: any, output: any, asItem: (value: any) => Item | undefined) {
    if (!output) return;
    const size = (value: any) => {
      const item = asItem(value);
      return item ? itemSize(item) : 0;
    };
    if (op === 'GetItem') {
      this.reads.push({ table: input.TableName, sizes: [size(output.Item)], consistent: !!input.ConsistentRead, transactional: false, summed: false });
    } else if (op === 'BatchGetItem') {
      for (const [table, request] of Object.entries(input.RequestItems as Record<string, any>)) {
        const found: any[] = output.Responses?.[table] ?? [];
        const unprocessed = output.UnprocessedKeys?.[table]?.Keys?.length ?? 0;
        const missing = request.Keys.length - found.length - unprocessed;
        const sizes = [...found.map(size), ...Array.from({ length: Math.max(0, missing) }, () => 0)];
        this.reads.push({ table, sizes, consistent: !!request.ConsistentRead, transactional: false, summed: false });
      }
    } else if (op === 'Query' || op === 'Scan') {
      this.reads.push({ table: input.TableName, sizes: (output.Items ?? []).map(size), consistent: !!input.ConsistentRead, transactional: false, summed: true });
    } else if (op === 'TransactGetItems') {
      const sizes = (output.Responses ?? []).map((r: any) => size(r?.Item));
      this.reads.push({ table: input.TransactItems[0]?.Get?.TableName ?? '', sizes, consistent: true, transactional: true, summed: false });
    }
  }

  /**
   * DynamoDB write and read units by AWS's rules. Updates are priced on the
   * item's size read back now (its final size: an upper bound for items that
   * only grow), index copies on the tables' real index definitions.
   */
  async capacityByAwsRules(admin: DynamoDBClient): Promise<Capacity> {
    const shapes = new Map<string, TableShape>();
    for (const table of new Set(this.writes.map((w) => w.table))) shapes.set(table, await describe(admin, table));
    const finals = await readBack(admin, this.writes.filter((w) => w.key));
    const total: Capacity = { write: 0, read: 0, indexWrite: 0 };
    for (const write of this.writes) {
      const item = write.item ?? finals.get(keyId(write.table, write.key!));
      const units = writeUnits(
        {
          kind: write.kind,
          size: item ? itemSize(item) : 0,
          attributes: item ? Object.keys(item) : [],
          touched: write.touched,
          transactional: write.transactional,
        },
        shapes.get(write.table)!,
      );
      total.write += units.table + units.indexes;
      total.indexWrite += units.indexes;
    }
    for (const read of this.reads) total.read += readUnits(read);
    return total;
  }
}

const keyId = (table: string, key: Item) =>
  `${table}\u0000${JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)))}`;

async function describe(admin: DynamoDBClient, table: string): Promise<TableShape> {
  const { Table } = await admin.send(new DescribeTableCommand({ TableName: table }));
  const keyOf = (schema: { AttributeName?: string; KeyType?: string }[] = [], type: string) =>
    schema.find((k) => k.KeyType === type)?.AttributeName ?? '';
  return {
    hashKey: keyOf(Table?.KeySchema, 'HASH'),
    rangeKey: keyOf(Table?.KeySchema, 'RANGE'),
    indexes: (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      hashKey: keyOf(index.KeySchema, 'HASH'),
      rangeKey: keyOf(index.KeySchema, 'RANGE'),
      projection: index.Projection?.ProjectionType === 'ALL' ? 'ALL' : 'KEYS_ONLY',
    })),
  };
}

/** The current version of every item the writes named by key, 100 keys per BatchGetItem. */
async function readBack(admin: DynamoDBClient, writes: PendingWrite[]): Promise<Map<string, Item>> {
  const byId = new Map<string, { table: string; key: Item }>();
  for (const w of writes) byId.set(keyId(w.table, w.key!), { table: w.table, key: w.key! });
  const found = new Map<string, Item>();
  const pending = [...byId.values()];
  for (let i = 0; i < pending.length; i += 100) {
    let request: Record<string, { Keys: Item[] }> | undefined = {};
    for (const { table, key } of pending.slice(i, i + 100)) (request[table] ??= { Keys: [] }).Keys.push(key);
    while (request && Object.keys(request).length) {
      const { Responses, UnprocessedKeys } = await admin.send(new BatchGetItemCommand({ RequestItems: request as any }));
      for (const [table, items] of Object.entries(Responses ?? {})) {
        const shape = await describeKeys(admin, table);
        for (const item of items as Item[]) {
          found.set(keyId(table, Object.fromEntries(shape.map((k) => [k, item[k]]))), item);
        }
      }
      request = UnprocessedKeys as typeof request;
    }
  }
  return found;
}

const keyNames = new Map<string, Promise<string[]>>();
function describeKeys(admin: DynamoDBClient, table: string): Promise<string[]> {
  if (!keyNames.has(table)) keyNames.set(table, describe(admin, table).then((s) => [s.hashKey, s.rangeKey].filter(Boolean)));
  return keyNames.get(table)!;
}
