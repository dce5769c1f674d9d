/**
 * Minimal stand-in for the SST platform globals, so `tsc --noEmit` can check
 * sst.config.ts and infra/*.ts without the generated `.sst/platform` folder.
 *
 * `sst install` (run by `sst dev` / `sst deploy`) generates the real, complete
 * types in `.sst/platform/config.d.ts`. This file declares only the subset of
 * the API this project uses, with the argument names of SST's own components
 * (platform/src/components/aws/{dynamo,bucket,queue,function,apigatewayv2,sns-topic}.ts)
 * and of the Pulumi AWS provider's resources SST exposes as the global `aws`
 * (aws.cloudwatch.MetricAlarm / Dashboard, aws.sns.TopicSubscription), so a
 * misspelt argument is still a type error. Add to it when infra uses more.
 *
 * It is a global script (no import/export): everything here is ambient.
 */

type SstDurationUnit = 'second' | 'seconds' | 'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days';
type SstDuration = `${number} ${SstDurationUnit}`;
type SstSize = `${number} MB` | `${number} GB`;

/** A value that is only known at deploy time (a Pulumi Output). */
interface SstOutput<T> {
  apply<U>(fn: (value: T) => U): SstOutput<U>;
}
type SstInput<T> = T | SstOutput<T>;

/** SST's `Transform`: an object merged over the defaults, or a function that edits them. */
type SstTransform = Record<string, unknown> | ((args: any, opts: any, name: string) => void);

interface SstAppInput {
  stage: string;
}

interface SstAppConfig {
  name: string;
  home: 'aws' | 'cloudflare' | 'local';
  removal?: 'remove' | 'retain' | 'retain-all';
  protect?: boolean;
  providers?: Record<string, unknown>;
}

interface SstConfig {
  app(input: SstAppInput): SstAppConfig;
  run(): Promise<Record<string, unknown> | void>;
}

declare function $config<T extends SstConfig>(config: T): T;
declare const $app: { readonly name: string; readonly stage: string };
declare const $dev: boolean;
declare function $interpolate(strings: TemplateStringsArray, ...values: unknown[]): SstOutput<string>;
/** JSON.stringify of a value that may hold deploy-time outputs, at any depth. */
declare function $jsonStringify(value: unknown): SstOutput<string>;

type SstLogRetention = '1 day' | '3 days' | '1 week' | '2 weeks' | '1 month' | '3 months' | '6 months' | '1 year' | 'forever';

declare namespace sst {
  /** A secret set per stage with `sst secret set <Name> <value>`, encrypted by SST; linked functions read `.value`. */
  class Secret {
    constructor(name: string, placeholder?: SstInput<string>);
    readonly name: string;
    readonly value: SstOutput<string>;
  }
}

declare namespace sst.aws {
  interface FunctionPermissionArgs {
    effect?: 'allow' | 'deny';
    actions: string[];
    resources: SstInput<SstInput<string>[]>;
  }

  interface FunctionLogging {
    retention?: SstInput<SstLogRetention>;
    format?: SstInput<'text' | 'json'>;
    logGroup?: SstInput<string>;
  }

  interface FunctionArgs {
    handler: SstInput<string>;
    runtime?: SstInput<'nodejs22.x' | 'nodejs24.x'>;
    timeout?: SstInput<SstDuration>;
    memory?: SstInput<SstSize>;
    description?: SstInput<string>;
    link?: SstInput<unknown[]>;
    permissions?: SstInput<FunctionPermissionArgs[]>;
    environment?: SstInput<Record<string, SstInput<string>>>;
    logging?: SstInput<false | FunctionLogging>;
    transform?: Record<string, SstTransform>;
  }

  interface DynamoArgs {
    fields: SstInput<Record<string, 'string' | 'number' | 'binary'>>;
    primaryIndex: SstInput<{ hashKey: SstInput<string>; rangeKey?: SstInput<string> }>;
    globalIndexes?: SstInput<
      Record<string, { hashKey: SstInput<string>; rangeKey?: SstInput<string>; projection?: 'all' | 'keys-only' | string[] }>
    >;
    ttl?: SstInput<string>;
    stream?: SstInput<'keys-only' | 'new-image' | 'old-image' | 'new-and-old-images'>;
    transform?: { table?: SstTransform };
  }

  interface QueueArgs {
    fifo?: SstInput<boolean>;
    delay?: SstInput<SstDuration>;
    visibilityTimeout?: SstInput<SstDuration>;
    dlq?: SstInput<string | { queue: SstInput<string>; retry: SstInput<number> }>;
    transform?: { queue?: SstTransform };
  }

  interface QueueSubscriberArgs {
    filters?: SstInput<Record<string, unknown>[]>;
    batch?: SstInput<{
      size?: SstInput<number>;
      window?: SstInput<SstDuration>;
      partialResponses?: SstInput<boolean>;
    }>;
    transform?: { eventSourceMapping?: SstTransform; function?: SstTransform };
  }

  interface ApiGatewayV2Args {
    link?: SstInput<unknown[]>;
    cors?: SstInput<boolean | Record<string, unknown>>;
    transform?: Record<string, SstTransform>;
  }

  class Dynamo {
    constructor(name: string, args: DynamoArgs);
    readonly name: SstOutput<string>;
    readonly arn: SstOutput<string>;
  }

  class Queue {
    constructor(name: string, args?: QueueArgs);
    readonly arn: SstOutput<string>;
    readonly url: SstOutput<string>;
    /** The underlying aws.sqs.Queue. */
    readonly nodes: { readonly queue: { readonly name: SstOutput<string> } };
    /** A handler, function arguments, or the ARN of a function. */
    subscribe(subscriber: SstInput<string | FunctionArgs>, args?: QueueSubscriberArgs): unknown;
  }

  interface CronArgs {
    /** `rate(5 minutes)` or `cron(...)`: EventBridge schedule expressions. */
    schedule: SstInput<string>;
    function: SstInput<string | FunctionArgs>;
    enabled?: SstInput<boolean>;
  }

  /** A function invoked on a schedule (EventBridge rule). */
  class Cron {
    constructor(name: string, args: CronArgs);
  }

  class Function {
    constructor(name: string, args: FunctionArgs);
    readonly name: SstOutput<string>;
    readonly arn: SstOutput<string>;
  }

  class ApiGatewayV2 {
    constructor(name: string, args?: ApiGatewayV2Args);
    readonly url: SstOutput<string>;
    /** The underlying aws.apigatewayv2.Api; its id is the `ApiId` dimension of API Gateway's metrics. */
    readonly nodes: { readonly api: { readonly id: SstOutput<string> } };
    route(route: string, handler: SstInput<string | FunctionArgs>, args?: Record<string, unknown>): unknown;
  }

  interface BucketArgs {
    lifecycle?: SstInput<
      SstInput<{ id?: SstInput<string>; prefix?: SstInput<string>; enabled?: SstInput<boolean>; expiresIn?: SstInput<`${number} day` | `${number} days`> }>[]
    >;
    cors?: SstInput<false | Record<string, unknown>>;
    versioning?: SstInput<boolean>;
    transform?: Record<string, SstTransform>;
  }

  class Bucket {
    constructor(name: string, args?: BucketArgs);
    readonly name: SstOutput<string>;
    readonly arn: SstOutput<string>;
  }

  interface SnsTopicArgs {
    fifo?: SstInput<boolean>;
    transform?: { topic?: SstTransform };
  }

  class SnsTopic {
    constructor(name: string, args?: SnsTopicArgs);
    readonly arn: SstOutput<string>;
    readonly name: SstOutput<string>;
  }
}

/** The Pulumi AWS provider (`@pulumi/aws`), which SST exposes as the global `aws`. */
declare namespace aws {
  function getRegionOutput(args?: Record<string, unknown>): { readonly name: SstOutput<string> };
}

declare namespace aws.cloudwatch {
  interface MetricDataQueryArgs {
    id: string;
    expression?: SstInput<string>;
    label?: SstInput<string>;
    returnData?: SstInput<boolean>;
    metric?: SstInput<{
      namespace: SstInput<string>;
      metricName: SstInput<string>;
      dimensions?: SstInput<Record<string, unknown>>;
      period: SstInput<number>;
      stat: SstInput<string>;
      unit?: SstInput<string>;
    }>;
  }

  interface MetricAlarmArgs {
    alarmDescription?: SstInput<string>;
    comparisonOperator: SstInput<
      'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold'
    >;
    threshold?: SstInput<number>;
    evaluationPeriods: SstInput<number>;
    datapointsToAlarm?: SstInput<number>;
    treatMissingData?: SstInput<'missing' | 'ignore' | 'breaching' | 'notBreaching'>;
    namespace?: SstInput<string>;
    metricName?: SstInput<string>;
    dimensions?: SstInput<Record<string, unknown>>;
    statistic?: SstInput<'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum'>;
    period?: SstInput<number>;
    metricQueries?: SstInput<MetricDataQueryArgs[]>;
    alarmActions?: SstInput<SstInput<string>[]>;
    okActions?: SstInput<SstInput<string>[]>;
  }

  class MetricAlarm {
    constructor(name: string, args: MetricAlarmArgs);
    readonly arn: SstOutput<string>;
    readonly name: SstOutput<string>;
  }

  interface DashboardArgs {
    dashboardName: SstInput<string>;
    dashboardBody: SstInput<string>;
  }

  class Dashboard {
    constructor(name: string, args: DashboardArgs);
    readonly dashboardName: SstOutput<string>;
    readonly dashboardArn: SstOutput<string>;
  }
}

declare namespace aws.sns {
  interface TopicSubscriptionArgs {
    topic: SstInput<string>;
    protocol: SstInput<'email' | 'email-json' | 'sms' | 'sqs' | 'lambda' | 'http' | 'https'>;
    endpoint: SstInput<string>;
  }

  class TopicSubscription {
    constructor(name: string, args: TopicSubscriptionArgs);
    readonly arn: SstOutput<string>;
  }
}
