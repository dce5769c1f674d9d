/**
 * Evaluates sst.config.ts against a recording stand-in of the SST globals
 * ($config, $app, $dev, $interpolate, $jsonStringify, sst.aws.*, and the
 * Pulumi `aws` provider's resources) and checks the wiring: what would be
 * deployed, without AWS and without the `sst` CLI.
 *
 * The stand-in only records: each component keeps its constructor arguments,
 * and its deploy-time outputs (table name, queue ARN/URL, ...) are unique
 * string tokens, so a test can tell which resource a value points at.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_CHUNK_SIZE } from '@merchantops/core/config';
import { existsSync, readFileSync } from 'node:fs';
import { filesBucket } from '@merchantops/core/resources/buckets';
import {
  deadLetterQueue as deadLetterDef,
  notificationsDeadLetterQueue as notificationsDeadLetterDef,
  plansDeadLetterQueue as plansDeadLetterDef,
  sweeper as sweeperDef,
  itemsQueue as itemsDef,
  notificationsQueue as notificationsDef,
  notifierTimeoutSeconds,
  plannerTimeoutSeconds,
  plansQueue as plansDef,
  workerTimeoutSeconds,
} from '@merchantops/core/resources/queues';
import { METRICS_NAMESPACE, alarms, metrics } from '@merchantops/core/resources/monitoring';
import { tables, type TableDefinition } from '@merchantops/core/resources/tables';

type Args = Record<string, any>;
type ComponentType =
  | 'Dynamo'
  | 'Bucket'
  | 'Queue'
  | 'Function'
  | 'Cron'
  | 'ApiGatewayV2'
  | 'Secret'
  | 'SnsTopic'
  | 'aws.cloudwatch.MetricAlarm'
  | 'aws.cloudwatch.Dashboard'
  | 'aws.sns.TopicSubscription';
interface Component {
  type: ComponentType;
  name: string;
  args: Args;
  instance: Args;
}
interface Recording {
  components: Component[];
  subscriptions: { queue: Args; subscriber: any; args: Args }[];
  routes: { api: Args; route: string; handler: any; args: Args }[];
}

/** Deploy-time outputs of each component type; dotted ones are nested (`nodes.queue.name`). */
const OUTPUTS: Record<ComponentType, string[]> = {
  Dynamo: ['name', 'arn'],
  Bucket: ['name', 'arn'],
  Queue: ['arn', 'url', 'nodes.queue.name'],
  Function: ['name', 'arn', 'url'],
  Cron: ['nodes.function.name'],
  ApiGatewayV2: ['url', 'nodes.api.id'],
  Secret: ['value'],
  SnsTopic: ['arn', 'name'],
  'aws.cloudwatch.MetricAlarm': ['arn', 'name'],
  'aws.cloudwatch.Dashboard': ['dashboardName', 'dashboardArn'],
  'aws.sns.TopicSubscription': ['arn'],
};

const REGION = 'region(current)';

/** Installs the stand-in globals for one stage and returns what they record. */
function installStandIn(stage: string): Recording {
  const rec: Recording = { components: [], subscriptions: [], routes: [] };

  const recorded = (type: ComponentType) =>
    class {
      constructor(name: string, args?: Args) {
        const self = this as unknown as Args;
        for (const output of OUTPUTS[type]) {
          const path = output.split('.');
          let target = self;
          for (const key of path.slice(0, -1)) target = target[key] ??= {};
          target[path.at(-1)!] = `${type}(${name}).${output}`;
        }
        rec.components.push({ type, name, args: args ?? {}, instance: self });
      }
    };

  const QueueBase = recorded('Queue');
  const ApiBase = recorded('ApiGatewayV2');
  const sstAws = {
    Dynamo: recorded('Dynamo'),
    Bucket: recorded('Bucket'),
    Function: recorded('Function'),
    Cron: recorded('Cron'),
    SnsTopic: recorded('SnsTopic'),
    Queue: class extends QueueBase {
      subscribe(subscriber: unknown, args?: Args) {
        // Like SST: an SQS queue takes exactly one subscriber.
        if (rec.subscriptions.some((s) => s.queue === this)) throw new Error('queue subscribed twice');
        rec.subscriptions.push({ queue: this, subscriber, args: args ?? {} });
        return {};
      }
    },
    ApiGatewayV2: class extends ApiBase {
      route(route: string, handler: unknown, args?: Args) {
        rec.routes.push({ api: this, route, handler, args: args ?? {} });
        return {};
      }
    },
  };
  const aws = {
    cloudwatch: { MetricAlarm: recorded('aws.cloudwatch.MetricAlarm'), Dashboard: recorded('aws.cloudwatch.Dashboard') },
    sns: { TopicSubscription: recorded('aws.sns.TopicSubscription') },
    getRegionOutput: () => ({ name: REGION }),
  };

  vi.stubGlobal('$config', (config: unknown) => config);
  vi.stubGlobal('$app', { name: 'merchantops-jobs', stage });
  vi.stubGlobal('$dev', false);
  vi.stubGlobal('$interpolate', (strings: TemplateStringsArray, ...values: unknown[]) => String.raw(strings, ...values));
  vi.stubGlobal('$jsonStringify', (value: unknown) => JSON.stringify(value));
  vi.stubGlobal('sst', { aws: sstAws, Secret: recorded('Secret') });
  vi.stubGlobal('aws', aws);
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

function all(rec: Recording, type: ComponentType): Component[] {
  return rec.components.filter((c) => c.type === type);
}

function the(rec: Recording, type: ComponentType, name: string): Component {
  const found = rec.components.filter((c) => c.type === type && c.name === name);
  expect(found, `${type} "${name}"`).toHaveLength(1);
  return found[0];
}

/** The one subscription of a queue; its subscriber is the ARN of a Function, which is returned. */
function subscriptionOf(rec: Recording, queue: Component) {
  const found = rec.subscriptions.filter((s) => s.queue === queue.instance);
  expect(found, `subscribers of ${queue.name}`).toHaveLength(1);
  const fn = all(rec, 'Function').find((f) => f.instance.arn === found[0].subscriber);
  expect(fn, `${queue.name} is subscribed by the ARN of a Function of the app`).toBeDefined();
  return { ...found[0], fn: fn! };
}

/** What the table must look like in SST terms, computed from the shared definition. */
function expectedTable(def: TableDefinition) {
  const keys = [def.hashKey, def.rangeKey, ...def.globalIndexes.flatMap((i) => [i.hashKey, i.rangeKey])];
  return {
    fields: Object.fromEntries(keys.map((k) => [k, 'string'])),
    primaryIndex: { hashKey: def.hashKey, rangeKey: def.rangeKey },
    globalIndexes: Object.fromEntries(
      def.globalIndexes.map((i) => [i.name, { hashKey: i.hashKey, rangeKey: i.rangeKey, projection: i.projection }]),
    ),
    ttl: def.ttlAttribute,
  };
}

const SUPPORTED_RUNTIMES = ['nodejs22.x', 'nodejs24.x'];
const CONSUME_ACTIONS = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];

/** The four alarms, by component name. */
const ALARMS = ['DeadLetterAlarm', 'OldestMessageAlarm', 'WorkerErrorRateAlarm', 'ApiServerErrorAlarm', 'StalledJobsAlarm', 'DeadLettersDroppedAlarm'];

/** Every metric line of the dashboard, with the title of its widget. */
function dashboardLines(rec: Recording) {
  const body = JSON.parse(the(rec, 'aws.cloudwatch.Dashboard', 'Dashboard').args.dashboardBody);
  return (body.widgets as Args[])
    .filter((w) => w.type === 'metric')
    .flatMap((w) => (w.properties.metrics as unknown[][]).map((line) => ({ title: w.properties.title as string, line })));
}

/** The widgets holding a line for namespace/metric with that one dimension. */
function widgetsShowing(rec: Recording, namespace: string, metric: string, dimension: string, value: string) {
  return dashboardLines(rec)
    .filter(({ line }) => line[0] === namespace && line[1] === metric && line[2] === dimension && line[3] === value)
    .map(({ title }) => title);
}

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
    expect(all(rec, 'Dynamo').map((c) => c.name).sort()).toEqual(tables.map((t) => t.name).sort());
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
    const worker = subscriptionOf(rec, the(rec, 'Queue', itemsDef.name)).fn.args;
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
    expect(all(rec, 'Queue').map((q) => q.name).sort()).toEqual(
      [
        itemsDef.name,
        deadLetterDef.name,
        plansDef.name,
        plansDeadLetterDef.name,
        notificationsDef.name,
        notificationsDeadLetterDef.name,
      ].sort(),
    );
  });

  it('sets every queue to 1 MiB messages (not the 256 KiB default) and 14 days retention', () => {
    for (const queue of all(rec, 'Queue')) {
      expect(queue.args.transform?.queue?.maxMessageSize, `${queue.name} MaximumMessageSize`).toBe(1024 * 1024);
      expect(queue.args.transform?.queue?.messageRetentionSeconds, `${queue.name} retention`).toBe(14 * 24 * 3600);
    }
  });

  // The planner fails the job itself on the last delivery, the notifier gives
  // up by itself; what never returns (timeout, crash) is dead-lettered, and
  // those handlers end the job or the callback.
  it.each([
    { queue: plansDef, dlq: plansDeadLetterDef, fn: 'Planner', dir: 'planner', timeout: plannerTimeoutSeconds, dlqFn: 'PlansDeadLetterHandler' },
    { queue: notificationsDef, dlq: notificationsDeadLetterDef, fn: 'Notifier', dir: 'notifier', timeout: notifierTimeoutSeconds, dlqFn: 'NotificationsDeadLetterHandler' },
  ])('gives the $queue.name queue a visibility timeout 6x the $fn timeout, its retention, and a consumed dead-letter queue', ({ queue, dlq, fn, dir, timeout, dlqFn }) => {
    const args = the(rec, 'Queue', queue.name).args;
    const sub = subscriptionOf(rec, the(rec, 'Queue', queue.name));
    expect(sub.fn.name).toBe(fn);
    expect(sub.fn.args.handler).toBe(`packages/functions/src/${dir}/lambda.handler`);
    expect(seconds(sub.fn.args.timeout)).toBe(timeout);
    expect(seconds(args.visibilityTimeout)).toBe(queue.visibilityTimeoutSeconds);
    expect(seconds(args.visibilityTimeout)).toBeGreaterThanOrEqual(6 * seconds(sub.fn.args.timeout));
    expect(args.transform?.queue?.messageRetentionSeconds).toBe(queue.messageRetentionSeconds);
    const dead = the(rec, 'Queue', dlq.name);
    expect(args.dlq).toEqual({ queue: dead.instance.arn, retry: queue.maxReceiveCount });
    expect(dead.args.dlq, 'a dead-letter queue has no redrive of its own').toBeUndefined();
    const deadSub = subscriptionOf(rec, dead);
    expect(deadSub.fn.name).toBe(dlqFn);
    expect(seconds(dead.args.visibilityTimeout)).toBeGreaterThanOrEqual(6 * seconds(deadSub.fn.args.timeout));
    expect(sub.args.batch).toEqual({ size: queue.batchSize, partialResponses: true });
    const cap = 'maxConcurrency' in queue ? queue.maxConcurrency : undefined;
    expect(sub.args.transform?.eventSourceMapping?.scalingConfig?.maximumConcurrency).toBe(cap);
    if (cap !== undefined) expect(cap).toBeGreaterThanOrEqual(2);
  });

  it('creates the files bucket with an expiry rule per prefix of the shared definition', () => {
    expect(all(rec, 'Bucket').map((b) => b.name)).toEqual([filesBucket.name]);
    const { lifecycle } = the(rec, 'Bucket', filesBucket.name).args;
    expect(lifecycle.map((rule: Args) => [rule.prefix, rule.expiresIn]).sort()).toEqual(
      Object.entries(filesBucket.expireDays).map(([prefix, days]) => [prefix, `${days} days`]).sort(),
    );
    expect(new Set(lifecycle.map((rule: Args) => rule.id)).size, 'rule ids are unique').toBe(lifecycle.length);
  });

  it('subscribes the worker with partial batch responses, the defined batch and a concurrency cap', () => {
    const sub = subscriptionOf(rec, the(rec, 'Queue', itemsDef.name));
    expect(sub.fn.name).toBe('Worker');
    expect(sub.fn.args.handler).toBe('packages/functions/src/worker/lambda.handler');
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

  it('passes every function the table and bucket names, queue URLs, a valid chunk size and the stage', () => {
    const expected = {
      JOBS_TABLE: the(rec, 'Dynamo', 'Jobs').instance.name,
      PRODUCTS_TABLE: the(rec, 'Dynamo', 'Products').instance.name,
      ITEMS_QUEUE_URL: the(rec, 'Queue', itemsDef.name).instance.url,
      PLANS_QUEUE_URL: the(rec, 'Queue', plansDef.name).instance.url,
      NOTIFICATIONS_QUEUE_URL: the(rec, 'Queue', notificationsDef.name).instance.url,
      FILES_BUCKET: the(rec, 'Bucket', filesBucket.name).instance.name,
      STAGE: 'production',
    };
    for (const fn of all(rec, 'Function')) {
      expect(fn.args.environment, fn.name).toMatchObject(expected);
      const chunkSize = Number(fn.args.environment.CHUNK_SIZE);
      expect(Number.isInteger(chunkSize) && chunkSize >= 1 && chunkSize <= MAX_CHUNK_SIZE, `${fn.name} CHUNK_SIZE ${chunkSize}`).toBe(
        true,
      );
      expect(fn.args.memory, fn.name).toMatch(/^\d+ MB$/);
    }
  });

  it('subscribes the dead-letter handler with partial responses and a visibility timeout 6x its timeout', () => {
    const dlq = the(rec, 'Queue', deadLetterDef.name);
    const sub = subscriptionOf(rec, dlq);
    expect(sub.fn.name).toBe('DeadLetterHandler');
    expect(sub.fn.args.handler).toBe('packages/functions/src/dlq/lambda.handler');
    expect(sub.args.batch?.partialResponses).toBe(true);
    expect(sub.args.batch?.size).toBe(deadLetterDef.batchSize);
    expect(sub.fn.args.environment?.JOBS_TABLE).toBe(the(rec, 'Dynamo', 'Jobs').instance.name);
    // Lambda's default timeout in SST is 20 seconds.
    const timeout = seconds(sub.fn.args.timeout ?? '20 seconds');
    expect(seconds(dlq.args.visibilityTimeout)).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('links each function to exactly what it uses (least privilege)', () => {
    const jobs = the(rec, 'Dynamo', 'Jobs').instance;
    const products = the(rec, 'Dynamo', 'Products').instance;
    const items = the(rec, 'Queue', itemsDef.name).instance;
    const plans = the(rec, 'Queue', plansDef.name).instance;
    const files = the(rec, 'Bucket', filesBucket.name).instance;
    const notifications = the(rec, 'Queue', notificationsDef.name).instance;
    // The key sealing webhook signing secrets: only where secrets are read or written.
    const secretsKey = the(rec, 'Secret', 'WebhookSecretsKey').instance;
    // Whoever can finish a job may send a finalize task (plans queue) and queues its callback (notifications).
    const expected: Record<string, Args[]> = {
      // jobs, keys, settings, uploads; products; sends chunks and plan requests; presigned file URLs
      Api: [jobs, products, items, plans, notifications, files, secretsKey],
      // runs chunks on products, writes export parts, commits on the jobs table
      Worker: [jobs, products, files, plans, notifications],
      // commits exhausted chunks on the jobs table
      DeadLetterHandler: [jobs, plans, notifications],
      // reads uploads, products or failures and sends the chunks; joins export files
      Planner: [jobs, products, files, items, plans, notifications],
      // notifications and signing secrets (jobs table); re-queues failed attempts
      Notifier: [jobs, notifications, secretsKey],
      // fails the job of a plan task that never finished, which queues its callback
      PlansDeadLetterHandler: [jobs, notifications],
      // gives up a callback whose attempts never finished
      NotificationsDeadLetterHandler: [jobs],
    };
    expect(all(rec, 'Function').map((f) => f.name).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, links] of Object.entries(expected)) {
      const link = the(rec, 'Function', name).args.link as Args[];
      expect(link, `${name} links`).toHaveLength(links.length);
      expect(link, `${name} links`).toEqual(expect.arrayContaining(links));
    }
  });

  it('keeps the webhook secrets key in an SST secret, outside the table and out of every environment', () => {
    const secret = the(rec, 'Secret', 'WebhookSecretsKey');
    expect(all(rec, 'Secret')).toHaveLength(1);
    for (const fn of all(rec, 'Function')) {
      expect(JSON.stringify(fn.args.environment ?? {}), fn.name).not.toContain(secret.instance.value);
    }
    expect(JSON.stringify(the(rec, 'Dynamo', 'Jobs').args)).not.toContain(secret.instance.value);
  });

  it('throttles the HTTP API stage (requests per second and burst)', () => {
    const api = the(rec, 'ApiGatewayV2', 'HttpApi');
    const settings = api.args.transform?.stage?.defaultRouteSettings;
    expect(settings, 'HttpApi stage defaultRouteSettings').toBeDefined();
    expect(settings.throttlingRateLimit).toBeGreaterThan(0);
    expect(settings.throttlingBurstLimit).toBeGreaterThanOrEqual(settings.throttlingRateLimit);
    // What docs/api.md's "Limits" section states.
    const readme = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    expect(readme).toContain(`${settings.throttlingRateLimit} requests per second`);
    expect(readme).toContain(`bursts of ${settings.throttlingBurstLimit}`);
  });

  it('lets each queue consumer consume its own queue and nothing else, and gives the API no extra permissions', () => {
    const consumers = {
      Worker: itemsDef.name,
      DeadLetterHandler: deadLetterDef.name,
      Planner: plansDef.name,
      Notifier: notificationsDef.name,
      PlansDeadLetterHandler: plansDeadLetterDef.name,
      NotificationsDeadLetterHandler: notificationsDeadLetterDef.name,
    };
    for (const [fn, queue] of Object.entries(consumers)) {
      const permissions = the(rec, 'Function', fn).args.permissions;
      expect(permissions, `${fn} permissions`).toEqual([
        { actions: expect.arrayContaining(CONSUME_ACTIONS), resources: [the(rec, 'Queue', queue).instance.arn] },
      ]);
      expect(permissions[0].actions, `${fn} actions`).toHaveLength(CONSUME_ACTIONS.length);
    }
    expect(the(rec, 'Function', 'Api').args.permissions ?? []).toEqual([]);
  });

  it('runs every function on a supported Node.js runtime, with 3 months of logs', () => {
    const functions = all(rec, 'Function');
    expect(functions.map((f) => f.args.handler).sort()).toEqual([
      'packages/functions/src/api/lambda.handler',
      'packages/functions/src/dlq/lambda.handler',
      'packages/functions/src/dlq/notifications-lambda.handler',
      'packages/functions/src/dlq/plans-lambda.handler',
      'packages/functions/src/notifier/lambda.handler',
      'packages/functions/src/planner/lambda.handler',
      'packages/functions/src/worker/lambda.handler',
    ]);
    for (const fn of functions) {
      expect(SUPPORTED_RUNTIMES, fn.name).toContain(fn.args.runtime);
      expect(fn.args.logging, `${fn.name} logging`).toEqual({ retention: '3 months', format: 'text' });
    }
  });

  it('runs the sweeper on a schedule, with the stall time and re-drives of the shared definition', () => {
    const [cron] = all(rec, 'Cron');
    expect(cron.name).toBe('Sweeper');
    expect(cron.args.schedule).toBe(`rate(${sweeperDef.scheduleMinutes} minutes)`);
    const fn = cron.args.function;
    expect(fn.handler).toBe('packages/functions/src/sweeper/lambda.handler');
    expect(SUPPORTED_RUNTIMES).toContain(fn.runtime);
    expect(fn.environment).toMatchObject({
      STALL_AFTER_SECONDS: String(sweeperDef.stallAfterSeconds),
      MAX_REDRIVES: String(sweeperDef.maxRedrives),
      JOBS_TABLE: the(rec, 'Dynamo', 'Jobs').instance.name,
    });
    // Stalled only after the items queue's whole retry cycle, so a re-drive never races SQS's own retries for long.
    expect(sweeperDef.stallAfterSeconds).toBeGreaterThan(itemsDef.visibilityTimeoutSeconds * itemsDef.maxReceiveCount);
    const links = fn.link as Args[];
    expect(links).toHaveLength(3);
    expect(links).toEqual(
      expect.arrayContaining([
        the(rec, 'Dynamo', 'Jobs').instance,
        the(rec, 'Queue', plansDef.name).instance,
        the(rec, 'Queue', notificationsDef.name).instance,
      ]),
    );
  });

  it('points every function at a file that exports its handler', () => {
    const handlers = [...all(rec, 'Function').map((fn) => fn.args.handler), ...all(rec, 'Cron').map((c) => c.args.function.handler)];
    for (const handler of handlers) {
      const [, file, exported] = /^(.*)\.(\w+)$/.exec(handler)!;
      const path = new URL(`../../${file}.ts`, import.meta.url);
      expect(existsSync(path), `${file}.ts`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${file}.ts exports ${exported}`).toMatch(new RegExp(`export (const|function|async function) ${exported}\\b`));
    }
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

  it('returns the API URL, table, queue and bucket names, alarm topic and dashboard as outputs', () => {
    expect(outputs).toEqual({
      api: the(rec, 'ApiGatewayV2', 'HttpApi').instance.url,
      jobsTable: the(rec, 'Dynamo', 'Jobs').instance.name,
      productsTable: the(rec, 'Dynamo', 'Products').instance.name,
      itemsQueue: the(rec, 'Queue', itemsDef.name).instance.url,
      deadLetterQueue: the(rec, 'Queue', deadLetterDef.name).instance.url,
      plansQueue: the(rec, 'Queue', plansDef.name).instance.url,
      notificationsQueue: the(rec, 'Queue', notificationsDef.name).instance.url,
      filesBucket: the(rec, 'Bucket', filesBucket.name).instance.name,
      alarmTopic: the(rec, 'SnsTopic', 'Alarms').instance.arn,
      dashboard: the(rec, 'aws.cloudwatch.Dashboard', 'Dashboard').instance.dashboardName,
    });
  });
});

describe('alarms', () => {
  let rec: Recording;
  const alarm = (name: string) => the(rec, 'aws.cloudwatch.MetricAlarm', name).args;
  const query = (args: Args, id: string) => (args.metricQueries as Args[]).find((q) => q.id === id);
  beforeAll(async () => {
    ({ rec } = await evaluate('production'));
  });

  it('are exactly six, each notifying the alarm topic when it fires and when it recovers', () => {
    expect(all(rec, 'aws.cloudwatch.MetricAlarm').map((a) => a.name).sort()).toEqual([...ALARMS].sort());
    const topic = the(rec, 'SnsTopic', 'Alarms').instance.arn;
    for (const name of ALARMS) {
      expect(alarm(name).alarmActions, `${name} alarmActions`).toEqual([topic]);
      expect(alarm(name).okActions, `${name} okActions`).toEqual([topic]);
      expect(alarm(name).treatMissingData, `${name} missing data`).toBe('notBreaching');
      expect(String(alarm(name).alarmDescription ?? '').length, `${name} says what it means`).toBeGreaterThan(40);
    }
  });

  it.each([
    ['StalledJobsAlarm', metrics.jobsStalled, alarms.stalledJobs],
    ['DeadLettersDroppedAlarm', metrics.deadLettersDropped, alarms.deadLettersDropped],
  ] as const)('%s fires on any of its application metric in a period', (name, metric, limits) => {
    const args = alarm(name);
    expect(args).toMatchObject({ namespace: METRICS_NAMESPACE, metricName: metric.name, comparisonOperator: 'GreaterThanThreshold' });
    expect(args.threshold).toBe(limits.threshold);
    expect(args.period).toBe(limits.periodSeconds);
  });

  it('fires when any message is waiting in, or was received from, the dead-letter queue', () => {
    const args = alarm('DeadLetterAlarm');
    const dlqName = the(rec, 'Queue', deadLetterDef.name).instance.nodes.queue.name;
    expect(args.comparisonOperator).toBe('GreaterThanThreshold');
    expect(args.threshold).toBe(alarms.deadLetter.threshold);
    expect(args.threshold).toBe(0);
    expect(args.evaluationPeriods).toBe(alarms.deadLetter.evaluationPeriods);
    expect(query(args, 'waiting')).toMatchObject({
      returnData: false,
      metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: dlqName }, stat: 'Maximum' },
    });
    expect(query(args, 'arrived')).toMatchObject({
      returnData: false,
      metric: { namespace: 'AWS/SQS', metricName: 'NumberOfMessagesReceived', dimensions: { QueueName: dlqName }, stat: 'Sum' },
    });
    const result = (args.metricQueries as Args[]).filter((q) => q.returnData);
    expect(result).toHaveLength(1);
    expect(result[0].expression).toMatch(/waiting/);
    expect(result[0].expression).toMatch(/arrived/);
    expect(result[0].expression).toMatch(/\+/);
  });

  it('fires when the oldest items message is older than all its retries could make it', () => {
    const args = alarm('OldestMessageAlarm');
    expect(args).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: the(rec, 'Queue', itemsDef.name).instance.nodes.queue.name },
      statistic: 'Maximum',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: alarms.oldestMessage.thresholdSeconds,
      period: alarms.oldestMessage.periodSeconds,
    });
    expect(args.threshold).toBe(itemsDef.maxReceiveCount * itemsDef.visibilityTimeoutSeconds);
  });

  it('fires when more than the threshold percentage of worker invocations fail', () => {
    const args = alarm('WorkerErrorRateAlarm');
    const workerName = the(rec, 'Function', 'Worker').instance.name;
    expect(args.comparisonOperator).toBe('GreaterThanThreshold');
    expect(args.threshold).toBe(alarms.workerErrorRate.thresholdPercent);
    for (const [id, metricName] of [['errors', 'Errors'], ['invocations', 'Invocations']]) {
      expect(query(args, id), id).toMatchObject({
        returnData: false,
        metric: {
          namespace: 'AWS/Lambda',
          metricName,
          dimensions: { FunctionName: workerName },
          stat: 'Sum',
          period: alarms.workerErrorRate.periodSeconds,
        },
      });
    }
    const result = (args.metricQueries as Args[]).filter((q) => q.returnData);
    expect(result).toHaveLength(1);
    expect(result[0].expression).toMatch(/100 \* errors \/ invocations/);
  });

  it('fires on API Gateway 5xx answers of this API', () => {
    expect(alarm('ApiServerErrorAlarm')).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensions: { ApiId: the(rec, 'ApiGatewayV2', 'HttpApi').instance.nodes.api.id },
      statistic: 'Sum',
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: alarms.api5xx.threshold,
      period: alarms.api5xx.periodSeconds,
    });
  });

  it('has no email subscription unless ALARM_EMAIL is set, and subscribes that address when it is', async () => {
    expect(all(rec, 'aws.sns.TopicSubscription')).toHaveLength(0);
    vi.stubEnv('ALARM_EMAIL', 'ops@example.com');
    const { rec: withEmail } = await evaluate('production');
    expect(all(withEmail, 'aws.sns.TopicSubscription').map((s) => s.args)).toEqual([
      { topic: the(withEmail, 'SnsTopic', 'Alarms').instance.arn, protocol: 'email', endpoint: 'ops@example.com' },
    ]);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });
});

describe('dashboard', () => {
  let rec: Recording;
  let names: { items: string; dlq: string; worker: string; api: string };
  beforeAll(async () => {
    ({ rec } = await evaluate('production'));
    names = {
      items: the(rec, 'Queue', itemsDef.name).instance.nodes.queue.name,
      dlq: the(rec, 'Queue', deadLetterDef.name).instance.nodes.queue.name,
      worker: the(rec, 'Function', 'Worker').instance.name,
      api: the(rec, 'ApiGatewayV2', 'HttpApi').instance.nodes.api.id,
    };
  });

  it('is named after the app and stage', () => {
    expect(the(rec, 'aws.cloudwatch.Dashboard', 'Dashboard').args.dashboardName).toBe('merchantops-jobs-production');
  });

  it('lays its widgets out on the 24-column grid without overlaps, every graph in the deployed region', () => {
    const { widgets } = JSON.parse(the(rec, 'aws.cloudwatch.Dashboard', 'Dashboard').args.dashboardBody);
    const taken = new Set<string>();
    for (const w of widgets as Args[]) {
      expect(w.x + w.width, JSON.stringify(w.properties.title)).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(taken.has(`${x},${y}`), `overlap at ${x},${y}`).toBe(false);
          taken.add(`${x},${y}`);
        }
      }
      if (w.type === 'metric') expect(w.properties.region, w.properties.title).toBe(REGION);
    }
  });

  it('shows the items queue depth and the age of its oldest message', () => {
    expect(widgetsShowing(rec, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', names.items)).toHaveLength(1);
    expect(widgetsShowing(rec, 'AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', 'QueueName', names.items)).toHaveLength(1);
    expect(widgetsShowing(rec, 'AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', names.items)).toHaveLength(1);
  });

  it('shows the dead-letter queue depth', () => {
    expect(widgetsShowing(rec, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', names.dlq)).toHaveLength(1);
  });

  it('shows worker errors, throttles and duration', () => {
    for (const metric of ['Errors', 'Throttles', 'Duration']) {
      expect(widgetsShowing(rec, 'AWS/Lambda', metric, 'FunctionName', names.worker), metric).not.toHaveLength(0);
    }
  });

  it('shows API 4xx, 5xx and latency', () => {
    for (const metric of ['4xx', '5xx', 'Latency']) {
      expect(widgetsShowing(rec, 'AWS/ApiGateway', metric, 'ApiId', names.api), metric).not.toHaveLength(0);
    }
  });

  it('shows items processed and failed side by side, from the application metrics of this stage', () => {
    const processed = widgetsShowing(rec, METRICS_NAMESPACE, metrics.itemsProcessed.name, 'Stage', 'production');
    const failed = widgetsShowing(rec, METRICS_NAMESPACE, metrics.itemsFailed.name, 'Stage', 'production');
    expect(processed).toHaveLength(1);
    expect(failed).toEqual(processed);
  });

  it('shows every application metric the functions emit', () => {
    for (const metric of Object.values(metrics)) {
      expect(widgetsShowing(rec, METRICS_NAMESPACE, metric.name, 'Stage', 'production'), metric.name).not.toHaveLength(0);
    }
  });

  it('lists the state of every alarm', () => {
    const { widgets } = JSON.parse(the(rec, 'aws.cloudwatch.Dashboard', 'Dashboard').args.dashboardBody);
    const alarmWidgets = (widgets as Args[]).filter((w) => w.type === 'alarm');
    expect(alarmWidgets).toHaveLength(1);
    expect([...alarmWidgets[0].properties.alarms].sort()).toEqual(
      ALARMS.map((name) => the(rec, 'aws.cloudwatch.MetricAlarm', name).instance.arn).sort(),
    );
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

  it('keeps logs for two weeks and records metrics under its own stage', () => {
    for (const fn of all(rec, 'Function')) {
      expect(fn.args.logging?.retention, fn.name).toBe('2 weeks');
      expect(fn.args.environment?.STAGE, fn.name).toBe('dev');
    }
    expect(the(rec, 'aws.cloudwatch.Dashboard', 'Dashboard').args.dashboardName).toBe('merchantops-jobs-dev');
    expect(widgetsShowing(rec, METRICS_NAMESPACE, metrics.itemsProcessed.name, 'Stage', 'dev')).toHaveLength(1);
    expect(widgetsShowing(rec, METRICS_NAMESPACE, metrics.itemsProcessed.name, 'Stage', 'production')).toHaveLength(0);
  });
});
