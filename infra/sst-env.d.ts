/**
 * Minimal stand-in for the SST platform globals, so `tsc --noEmit` can check
 * sst.config.ts and infra/*.ts without the generated `.sst/platform` folder.
 *
 * `sst install` (run by `sst dev` / `sst deploy`) generates the real, complete
 * types in `.sst/platform/config.d.ts`. This file declares only the subset of
 * the API this project uses, with the argument names of SST's own components
 * (platform/src/components/aws/{dynamo,queue,function,apigatewayv2}.ts), so a
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

declare namespace sst.aws {
  interface FunctionArgs {
    handler: SstInput<string>;
    runtime?: SstInput<'nodejs22.x' | 'nodejs24.x'>;
    timeout?: SstInput<SstDuration>;
    memory?: SstInput<SstSize>;
    description?: SstInput<string>;
    link?: SstInput<unknown[]>;
    environment?: SstInput<Record<string, SstInput<string>>>;
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
    subscribe(subscriber: SstInput<string | FunctionArgs>, args?: QueueSubscriberArgs): unknown;
  }

  class Function {
    constructor(name: string, args: FunctionArgs);
    readonly name: SstOutput<string>;
    readonly arn: SstOutput<string>;
  }

  class ApiGatewayV2 {
    constructor(name: string, args?: ApiGatewayV2Args);
    readonly url: SstOutput<string>;
    route(route: string, handler: SstInput<string | FunctionArgs>, args?: Record<string, unknown>): unknown;
  }
}
