/**
 * Evaluates sst.config.ts against a recording stand-in of the SST globals
 * ($config, $app, $dev, $interpolate, sst.aws.*) and checks the wiring: what
 * would be deployed, without AWS and without the `sst` CLI.
 *
 * The stand-in only records: each component keeps its constructor arguments,
 * and its deploy-time outputs (table name, queue ARN/URL, ...) are unique
 * string tokens, so a test can tell which resource a value points at.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_CHUNK_SIZE } from '../../packages/core/src/config';
import { deadLetterQueue as deadLetterDef, itemsQueue as itemsDef, workerTimeoutSeconds } from '../../packages/core/src/resources/queues';
import { tables, type TableDefinition } from '../../packages/core/src/resources/tables';

type Args = Record<string, any>;
interface Component {
  type: 'Dynamo' | 'Queue' | 'Function' | 'ApiGatewayV2';
  name: string;
  args: Args;
  instance: Args;
}
interface Recording {
  components: Component[];
  subscriptions: { queue: Args; subscriber: any; args: Args }[];
  routes: { api: Args; route: string; handler: any; args: Args }[];
}

/** Installs the stand-in globals for one stage and returns what they record. */
function installStandIn(stage: string): Recording {
  const rec: Recording = { components: [], subscriptions: [], routes: [] };

  class Recorded {
    constructor(type: Component['type'], name: string, args: Args | undefined, outputs: string[]) {
      const self = this as unknown as Args;
      for (const output of outputs) self[output] = `${type}(${name}).${output}`;
      rec.components.push({ type, name, args: args ?? {}, instance: self });
    }
  }

  const aws = {
    Dynamo: class extends Recorded {
      constructor(name: string, args?: Args) {
        super('Dynamo', name, args, ['name', 'arn']);
      }
    },
    Queue: class extends Recorded {
      constructor(name: string, args?: Args) {
        super('Queue', name, args, ['arn', 'url']);
      }
      subscribe(subscriber: unknown, args?: Args) {
        // Like SST: an SQS queue takes exactly one subscriber.
        if (rec.subscriptions.some((s) => s.queue === this)) throw new Error('queue subscribed twice');
        rec.subscriptions.push({ queue: this, subscriber, args: args ?? {} });
        return {};
      }
    },
    Function: class extends Recorded {
      constructor(name: string, args?: Args) {
        super('Function', name, args, ['name', 'arn', 'url']);
      }
    },
    ApiGatewayV2: class extends Recorded {
      constructor(name: string, args?: Args) {
        super('ApiGatewayV2', name, args, ['url']);
      }
      route(route: string, handler: unknown, args?: Args) {
        rec.routes.push({ api: this, route, handler, args: args ?? {} });
        return {};
      }
    },
  };

  vi.stubGlobal('$config', (config: unknown) => config);
  vi.stubGlobal('$app', { name: 'merchantops-jobs', stage });
  vi.stubGlobal('$dev', false);
  vi.stubGlobal('$interpolate', (strings: TemplateStringsArray, ...values: unknown[]) => String.raw(strings, ...values));
  vi.stubGlobal('sst', { aws });
  return rec;
}

/** Imports sst.config.ts afresh (the infra modules read $app at import time) and runs it. */
async function evaluate(stage: string) {
  const rec = installStandIn(stage);
  vi.resetModules();
  const config = (await import('../../sst.config')).default;
  const outputs = await config.run();
  return { rec, outputs: outputs as Args };
}

/** SST duration string ("60 seconds", "6 minutes") to seconds. */
function seconds(duration: unknown): number {
  const match = /^(\d+(?:\.\d+)?) (second|minute|hour|day)s?$/.exec(String(duration));
  if (!match) throw new Error(`not an SST duration: ${String(duration)}`);
  const unit = { second: 1, minute: 60, hour: 3600, day: 86400 }[match[2] as 'second'];
  return Number(match[1]) * unit;
}

function the(rec: Recording, type: Component['type'], name: string): Component {
  const found = rec.components.filter((c) => c.type === type && c.name === name);
  expect(found, `${type} "${name}"`).toHaveLength(1);
  return found[0];
}

function subscriptionOf(rec: Recording, queue: Component) {
  const found = rec.subscriptions.filter((s) => s.queue === queue.instance);
  expect(found, `subscribers of ${queue.name}`).toHaveLength(1);
  expect(typeof found[0].subscriber, 'subscriber given as function args').toBe('object');
  return found[0];
}

/** Every Lambda the config defines: explicit Functions and inline queue subscribers. */
function allFunctions(rec: Recording): Args[] {
  return [
    ...rec.components.filter((c) => c.type === 'Function').map((c) => c.args),
    ...rec.subscriptions.map((s) => s.subscriber).filter((s) => typeof s === 'object'),
  ];
}

/** What the table must look like in SST terms, computed from the shared definition. */
function expectedTable(def: TableDefinition) {
  const keys = [def.hashKey, def.rangeKey, ...def.globalIndexes.flatMap((i) => [i.hashKey, i.rangeKey])];
  return {
    fields: Object.fromEntries(keys.map((k) => [k, 'string'])),
    primaryIndex: { hashKey: def.hashKey, rangeKey: def.rangeKey },
    globalIndexes: Object.fromEntries(def.globalIndexes.map((i) => [i.name, { hashKey: i.hashKey, rangeKey: i.rangeKey }])),
    ttl: def.ttlAttribute,
  };
}

const SUPPORTED_RUNTIMES = ['nodejs22.x', 'nodejs24.x'];

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('app()', () => {
  it('retains and protects production', async () => {
    installStandIn('production');
    vi.resetModules();
    const config = (await import('../../sst.config')).default;
    expect(config.app({ stage: 'production' })).toEqual({
      name: 'merchantops-jobs',
      home: 'aws',
      removal: 'retain',
      protect: true,
    });
  });

  it('removes other stages and does not protect them', async () => {
    installStandIn('dev');
    vi.resetModules();
    const config = (await import('../../sst.config')).default;
    const app = config.app({ stage: 'dev' });
    expect(app).toMatchObject({ name: 'merchantops-jobs', home: 'aws', removal: 'remove' });
    expect(app.protect).not.toBe(true);
  });
});

describe('run() in production', () => {
  let rec: Recording;
  let outputs: Args;
  beforeAll(async () => {
    ({ rec, outputs } = await evaluate('production'));
  });

  it('creates exactly the tables of the shared definitions, with their keys, indexes and TTL', () => {
    expect(rec.components.filter((c) => c.type === 'Dynamo').map((c) => c.name).sort()).toEqual(
      tables.map((t) => t.name).sort(),
    );
    for (const def of tables) {
      const { args } = the(rec, 'Dynamo', def.name);
      const expected = expectedTable(def);
      // toEqual: no extra attribute definitions (DynamoDB rejects fields no index uses).
      expect(args.fields, `${def.name} fields`).toEqual(expected.fields);
      expect(args.primaryIndex, `${def.name} primaryIndex`).toEqual(expected.primaryIndex);
      expect(args.globalIndexes ?? {}, `${def.name} globalIndexes`).toEqual(expected.globalIndexes);
      expect(args.ttl, `${def.name} ttl`).toBe(expected.ttl);
    }
  });

  it('turns on deletion protection and point-in-time recovery for every table', () => {
    for (const def of tables) {
      const table = the(rec, 'Dynamo', def.name).args.transform?.table;
      expect(table?.deletionProtectionEnabled, `${def.name} deletion protection`).toBe(true);
      expect(table?.pointInTimeRecovery, `${def.name} PITR`).toEqual({ enabled: true });
    }
  });

  it('gives the items queue the defined visibility timeout, at least 6x the worker timeout', () => {
    const items = the(rec, 'Queue', itemsDef.name).args;
    const worker = subscriptionOf(rec, the(rec, 'Queue', itemsDef.name)).subscriber;
    expect(seconds(worker.timeout)).toBe(workerTimeoutSeconds);
    expect(seconds(items.visibilityTimeout)).toBe(itemsDef.visibilityTimeoutSeconds);
    expect(seconds(items.visibilityTimeout)).toBeGreaterThanOrEqual(6 * seconds(worker.timeout));
    expect(items.transform?.queue?.messageRetentionSeconds).toBe(itemsDef.messageRetentionSeconds);
  });

  it('redrives the items queue to the dead-letter queue after at least 5 receives', () => {
    const items = the(rec, 'Queue', itemsDef.name).args;
    const dlq = the(rec, 'Queue', deadLetterDef.name);
    expect(items.dlq).toEqual({ queue: dlq.instance.arn, retry: itemsDef.maxReceiveCount });
    expect(items.dlq.retry).toBeGreaterThanOrEqual(5);
    expect(dlq.args.dlq, 'the dead-letter queue has no redrive of its own').toBeUndefined();
    expect(dlq.args.transform?.queue?.messageRetentionSeconds).toBe(deadLetterDef.messageRetentionSeconds);
    expect(rec.components.filter((c) => c.type === 'Queue')).toHaveLength(2);
  });

  it('subscribes the worker with partial batch responses, the defined batch and a concurrency cap', () => {
    const sub = subscriptionOf(rec, the(rec, 'Queue', itemsDef.name));
    expect(sub.subscriber.handler).toBe('packages/functions/src/worker/lambda.handler');
    expect(sub.args.batch?.partialResponses).toBe(true);
    const size = sub.args.batch?.size;
    expect(size).toBe(itemsDef.batchSize);
    expect(size).toBeGreaterThanOrEqual(1);
    expect(size).toBeLessThanOrEqual(10_000);
    if (size > 10) expect(seconds(sub.args.batch?.window)).toBeGreaterThanOrEqual(1);
    expect(seconds(sub.args.batch?.window ?? '0 seconds')).toBe(itemsDef.batchWindowSeconds);
    const maxConcurrency = sub.args.transform?.eventSourceMapping?.scalingConfig?.maximumConcurrency;
    expect(maxConcurrency).toBe(itemsDef.maxConcurrency);
    expect(maxConcurrency).toBeGreaterThanOrEqual(2);
    expect(maxConcurrency).toBeLessThanOrEqual(1000);
  });

  it('links the worker to both tables and the items queue and passes their names in the environment', () => {
    const jobs = the(rec, 'Dynamo', 'Jobs').instance;
    const products = the(rec, 'Dynamo', 'Products').instance;
    const items = the(rec, 'Queue', itemsDef.name).instance;
    const worker = subscriptionOf(rec, the(rec, 'Queue', itemsDef.name)).subscriber;
    expect(worker.link).toEqual(expect.arrayContaining([jobs, products, items]));
    expect(worker.environment).toMatchObject({
      JOBS_TABLE: jobs.name,
      PRODUCTS_TABLE: products.name,
      ITEMS_QUEUE_URL: items.url,
    });
    const chunkSize = Number(worker.environment.CHUNK_SIZE);
    expect(Number.isInteger(chunkSize) && chunkSize >= 1 && chunkSize <= MAX_CHUNK_SIZE, `CHUNK_SIZE ${chunkSize}`).toBe(true);
  });

  it('subscribes the dead-letter handler with partial responses and links it to the jobs table', () => {
    const dlq = the(rec, 'Queue', deadLetterDef.name);
    const sub = subscriptionOf(rec, dlq);
    const jobs = the(rec, 'Dynamo', 'Jobs').instance;
    expect(sub.subscriber.handler).toBe('packages/functions/src/dlq/lambda.handler');
    expect(sub.args.batch?.partialResponses).toBe(true);
    expect(sub.args.batch?.size).toBe(deadLetterDef.batchSize);
    expect(sub.subscriber.link).toContain(jobs);
    expect(sub.subscriber.environment?.JOBS_TABLE).toBe(jobs.name);
    // Lambda's default timeout in SST is 20 seconds.
    const timeout = seconds(sub.subscriber.timeout ?? '20 seconds');
    expect(seconds(dlq.args.visibilityTimeout)).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('runs every function on a supported Node.js runtime', () => {
    const functions = allFunctions(rec);
    expect(functions.map((f) => f.handler).sort()).toEqual([
      'packages/functions/src/api/lambda.handler',
      'packages/functions/src/dlq/lambda.handler',
      'packages/functions/src/worker/lambda.handler',
    ]);
    for (const fn of functions) expect(SUPPORTED_RUNTIMES, fn.handler).toContain(fn.runtime);
  });

  it('serves the API function behind a catch-all HTTP API route', () => {
    const fn = the(rec, 'Function', 'Api');
    const httpApi = the(rec, 'ApiGatewayV2', 'HttpApi');
    expect(fn.args.handler).toBe('packages/functions/src/api/lambda.handler');
    expect(seconds(fn.args.timeout)).toBeLessThan(30); // API Gateway's integration limit
    const routes = rec.routes.filter((r) => r.api === httpApi.instance);
    expect(routes).toHaveLength(1);
    expect(['$default', 'ANY /{proxy+}']).toContain(routes[0].route);
    expect(routes[0].handler).toBe(fn.instance.arn);
  });

  it('links the API function to both tables and the items queue', () => {
    const fn = the(rec, 'Function', 'Api').args;
    const jobs = the(rec, 'Dynamo', 'Jobs').instance;
    const products = the(rec, 'Dynamo', 'Products').instance;
    const items = the(rec, 'Queue', itemsDef.name).instance;
    expect(fn.link).toEqual(expect.arrayContaining([jobs, products, items]));
    expect(fn.environment).toMatchObject({
      JOBS_TABLE: jobs.name,
      PRODUCTS_TABLE: products.name,
      ITEMS_QUEUE_URL: items.url,
      CHUNK_SIZE: expect.stringMatching(/^\d+$/),
    });
  });

  it('returns the API URL, table names and queue URLs as outputs', () => {
    expect(outputs).toEqual({
      api: the(rec, 'ApiGatewayV2', 'HttpApi').instance.url,
      jobsTable: the(rec, 'Dynamo', 'Jobs').instance.name,
      productsTable: the(rec, 'Dynamo', 'Products').instance.name,
      itemsQueue: the(rec, 'Queue', itemsDef.name).instance.url,
      deadLetterQueue: the(rec, 'Queue', deadLetterDef.name).instance.url,
    });
  });
});

describe('run() in a development stage', () => {
  let rec: Recording;
  let production: Recording;
  beforeAll(async () => {
    ({ rec: production } = await evaluate('production'));
    ({ rec } = await evaluate('dev'));
  });

  it('creates the same components as production', () => {
    const names = (r: Recording) => r.components.map((c) => `${c.type}:${c.name}`).sort();
    expect(names(rec)).toEqual(names(production));
    expect(rec.subscriptions).toHaveLength(production.subscriptions.length);
  });

  it('leaves the tables without deletion protection, so the stage can be removed', () => {
    for (const def of tables) {
      expect(the(rec, 'Dynamo', def.name).args.transform?.table?.deletionProtectionEnabled).not.toBe(true);
    }
  });
});
