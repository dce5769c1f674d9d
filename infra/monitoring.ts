/**
 * What operators see in the CloudWatch console: one dashboard and four alarms
 * that notify an SNS topic. Thresholds, metric names and the namespace come
 * from packages/core/src/resources/monitoring.ts, which the functions' EMF
 * writer uses too.
 *
 * Metric sources: SQS (AWS/SQS, by queue name), Lambda (AWS/Lambda, by
 * function name), API Gateway HTTP APIs (AWS/ApiGateway, by API id: `4xx`,
 * `5xx`, `Count`, `Latency`) and the application's own EMF metrics
 * (MerchantOps/Jobs, by Stage).
 */
import {
  METRICS_NAMESPACE,
  STAGE_DIMENSION,
  alarms,
  metrics,
  type MetricDefinition,
} from '@merchantops/core/resources/monitoring';
import { itemsQueue as itemsDef, workerTimeoutSeconds } from '@merchantops/core/resources/queues';
import { api } from './api';
import { deadLetterQueue, itemsQueue, notificationsQueue, notifier, planner, plansQueue, worker } from './queues';

const itemsQueueName = itemsQueue.nodes.queue.name;
const plansQueueName = plansQueue.nodes.queue.name;
const notificationsQueueName = notificationsQueue.nodes.queue.name;
const deadLetterQueueName = deadLetterQueue.nodes.queue.name;
const apiId = api.nodes.api.id;

/**
 * Where every alarm reports, when it fires and when it recovers. Subscribe to
 * it in the console, or set ALARM_EMAIL when deploying to have SST add an email
 * subscription (AWS sends a confirmation mail first).
 */
export const alarmTopic = new sst.aws.SnsTopic('Alarms');

const alarmEmail = process.env.ALARM_EMAIL;
if (alarmEmail) {
  new aws.sns.TopicSubscription('AlarmsEmail', { topic: alarmTopic.arn, protocol: 'email', endpoint: alarmEmail });
}

const notify = { alarmActions: [alarmTopic.arn], okActions: [alarmTopic.arn] };

const queueMetric = (metricName: string, queueName: unknown, stat: string, period: number) => ({
  namespace: 'AWS/SQS',
  metricName,
  dimensions: { QueueName: queueName },
  stat,
  period,
});

const workerMetric = (metricName: string, period: number) => ({
  namespace: 'AWS/Lambda',
  metricName,
  dimensions: { FunctionName: worker.name },
  stat: 'Sum',
  period,
});

export const deadLetterAlarm = new aws.cloudwatch.MetricAlarm('DeadLetterAlarm', {
  alarmDescription:
    'A chunk of items reached the dead-letter queue after every retry: its items were counted failed ' +
    '(or, while messages wait there, the DLQ handler is failing). Check the worker logs for the job id.',
  comparisonOperator: 'GreaterThanThreshold',
  threshold: alarms.deadLetter.threshold,
  evaluationPeriods: alarms.deadLetter.evaluationPeriods,
  treatMissingData: 'notBreaching',
  metricQueries: [
    {
      id: 'waiting',
      metric: queueMetric('ApproximateNumberOfMessagesVisible', deadLetterQueueName, 'Maximum', alarms.deadLetter.periodSeconds),
      returnData: false,
    },
    {
      id: 'arrived',
      metric: queueMetric('NumberOfMessagesReceived', deadLetterQueueName, 'Sum', alarms.deadLetter.periodSeconds),
      returnData: false,
    },
    { id: 'deadLetters', expression: 'FILL(waiting, 0) + FILL(arrived, 0)', label: 'dead-lettered chunks', returnData: true },
  ],
  ...notify,
});

export const oldestMessageAlarm = new aws.cloudwatch.MetricAlarm('OldestMessageAlarm', {
  alarmDescription:
    `A chunk has waited on the items queue longer than ${alarms.oldestMessage.thresholdSeconds} s, ` +
    'longer than all its retries could take: the worker is down, throttled or far behind.',
  namespace: 'AWS/SQS',
  metricName: 'ApproximateAgeOfOldestMessage',
  dimensions: { QueueName: itemsQueueName },
  statistic: 'Maximum',
  period: alarms.oldestMessage.periodSeconds,
  evaluationPeriods: alarms.oldestMessage.evaluationPeriods,
  comparisonOperator: 'GreaterThanThreshold',
  threshold: alarms.oldestMessage.thresholdSeconds,
  treatMissingData: 'notBreaching',
  ...notify,
});

export const workerErrorRateAlarm = new aws.cloudwatch.MetricAlarm('WorkerErrorRateAlarm', {
  alarmDescription:
    `More than ${alarms.workerErrorRate.thresholdPercent} % of worker invocations failed (crash, timeout, out of memory). ` +
    'Chunks of a failed invocation are delivered again; see the worker logs.',
  comparisonOperator: 'GreaterThanThreshold',
  threshold: alarms.workerErrorRate.thresholdPercent,
  evaluationPeriods: alarms.workerErrorRate.evaluationPeriods,
  treatMissingData: 'notBreaching',
  metricQueries: [
    { id: 'errors', metric: workerMetric('Errors', alarms.workerErrorRate.periodSeconds), returnData: false },
    { id: 'invocations', metric: workerMetric('Invocations', alarms.workerErrorRate.periodSeconds), returnData: false },
    {
      id: 'errorRate',
      expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
      label: 'worker error rate (%)',
      returnData: true,
    },
  ],
  ...notify,
});

/** An application metric (Stage dimension) over `threshold` in one period. */
function appAlarm(name: string, metric: MetricDefinition, limits: { threshold: number; periodSeconds: number; evaluationPeriods: number }, description: string) {
  return new aws.cloudwatch.MetricAlarm(name, {
    alarmDescription: description,
    namespace: METRICS_NAMESPACE,
    metricName: metric.name,
    dimensions: { [STAGE_DIMENSION]: $app.stage },
    statistic: 'Sum',
    period: limits.periodSeconds,
    evaluationPeriods: limits.evaluationPeriods,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: limits.threshold,
    treatMissingData: 'notBreaching',
    ...notify,
  });
}

export const stalledJobsAlarm = appAlarm(
  'StalledJobsAlarm',
  metrics.jobsStalled,
  alarms.stalledJobs,
  'The sweeper found jobs without progress and re-drove them (a message was lost, expired or never committed). ' +
    'See "job stalled" in the sweeper logs; a job that stays stuck fails after its re-drives.',
);

export const deadLettersDroppedAlarm = appAlarm(
  'DeadLettersDroppedAlarm',
  metrics.deadLettersDropped,
  alarms.deadLettersDropped,
  'A dead-letter handler kept failing on a message and dropped it; the sweeper re-drives its job. See the DLQ handler logs.',
);

export const apiServerErrorAlarm = new aws.cloudwatch.MetricAlarm('ApiServerErrorAlarm', {
  alarmDescription:
    `At least ${alarms.api5xx.threshold} API answers were 5xx in ${alarms.api5xx.periodSeconds / 60} minutes ` +
    '(500: a bug, see "unhandled error" in the API logs; 503: SQS refused a dispatch; or the Lambda crashed or timed out).',
  namespace: 'AWS/ApiGateway',
  metricName: '5xx',
  dimensions: { ApiId: apiId },
  statistic: 'Sum',
  period: alarms.api5xx.periodSeconds,
  evaluationPeriods: alarms.api5xx.evaluationPeriods,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  threshold: alarms.api5xx.threshold,
  treatMissingData: 'notBreaching',
  ...notify,
});

// ---- dashboard ------------------------------------------------------------

type Line = unknown[];
const region = aws.getRegionOutput().name;

const sqsLine = (metricName: string, queueName: unknown, stat: string, label: string): Line => [
  'AWS/SQS',
  metricName,
  'QueueName',
  queueName,
  { stat, label },
];
const lambdaLine = (fn: sst.aws.Function, metricName: string, stat: string, label: string): Line => [
  'AWS/Lambda',
  metricName,
  'FunctionName',
  fn.name,
  { stat, label },
];
const apiLine = (metricName: string, stat: string, label: string): Line => [
  'AWS/ApiGateway',
  metricName,
  'ApiId',
  apiId,
  { stat, label },
];
/** The application's EMF metrics, summed over job types (the Stage-only dimension set). */
const appLine = (metric: MetricDefinition, stat: string, label: string): Line => [
  METRICS_NAMESPACE,
  metric.name,
  STAGE_DIMENSION,
  $app.stage,
  { stat, label },
];

const graph = (title: string, lines: Line[], extra: Record<string, unknown> = {}) => ({
  type: 'metric',
  properties: { title, region, view: 'timeSeries', stacked: false, period: 60, metrics: lines, ...extra },
});
const threshold = (value: number, label: string) => ({ annotations: { horizontal: [{ value, label }] } });

/** Rows of widgets, laid out left to right on CloudWatch's 24-column grid. */
const rows: Record<string, unknown>[][] = [
  [
    graph('Items queue: messages', [
      sqsLine('ApproximateNumberOfMessagesVisible', itemsQueueName, 'Maximum', 'waiting'),
      sqsLine('ApproximateNumberOfMessagesNotVisible', itemsQueueName, 'Maximum', 'in flight'),
    ]),
    graph(
      'Items queue: age of oldest message (s)',
      [sqsLine('ApproximateAgeOfOldestMessage', itemsQueueName, 'Maximum', 'oldest message')],
      threshold(alarms.oldestMessage.thresholdSeconds, 'alarm'),
    ),
    graph('Dead-letter queue', [
      sqsLine('ApproximateNumberOfMessagesVisible', deadLetterQueueName, 'Maximum', 'waiting'),
      sqsLine('NumberOfMessagesReceived', deadLetterQueueName, 'Sum', 'received by the DLQ handler'),
    ]),
  ],
  [
    graph('Worker: errors and throttles', [
      lambdaLine(worker, 'Errors', 'Sum', 'invocation errors'),
      lambdaLine(worker, 'Throttles', 'Sum', 'throttles'),
      appLine(metrics.chunkFailures, 'Sum', 'chunk failures (retried)'),
    ]),
    graph(
      'Worker: duration (ms)',
      [lambdaLine(worker, 'Duration', 'p50', 'p50'), lambdaLine(worker, 'Duration', 'p99', 'p99'), lambdaLine(worker, 'Duration', 'Maximum', 'max')],
      threshold(workerTimeoutSeconds * 1000, 'timeout'),
    ),
    graph(
      'Worker: concurrent executions',
      [lambdaLine(worker, 'ConcurrentExecutions', 'Maximum', 'concurrent')],
      threshold(itemsDef.maxConcurrency, 'maximum concurrency'),
    ),
    graph('Planner and callbacks', [
      sqsLine('ApproximateNumberOfMessagesVisible', plansQueueName, 'Maximum', 'plans waiting'),
      lambdaLine(planner, 'Errors', 'Sum', 'planner errors'),
      sqsLine('ApproximateNumberOfMessagesVisible', notificationsQueueName, 'Maximum', 'callbacks waiting'),
      lambdaLine(notifier, 'Errors', 'Sum', 'notifier errors'),
    ]),
  ],
  [
    graph('API: requests, 4xx, 5xx', [
      apiLine('Count', 'Sum', 'requests'),
      apiLine('4xx', 'Sum', '4xx'),
      apiLine('5xx', 'Sum', '5xx'),
    ]),
    graph('API: latency (ms)', [
      apiLine('Latency', 'p50', 'p50'),
      apiLine('Latency', 'p99', 'p99'),
      apiLine('IntegrationLatency', 'p99', 'Lambda p99'),
    ]),
    graph('Items processed vs failed', [
      appLine(metrics.itemsProcessed, 'Sum', 'processed'),
      appLine(metrics.itemsFailed, 'Sum', 'failed'),
    ]),
    // Per tenant: the sum of each job's latest JobItemsRemaining, by tenantId (README, "Fair share").
    graph('Largest job backlog (items)', [appLine(metrics.jobItemsRemaining, 'Maximum', 'items remaining')]),
  ],
  [
    graph('Jobs', [
      appLine(metrics.jobsCreated, 'Sum', 'created'),
      appLine(metrics.jobsCompleted, 'Sum', 'completed'),
      appLine(metrics.jobsFailed, 'Sum', 'failed'),
      appLine(metrics.jobsCancelled, 'Sum', 'cancelled'),
    ]),
    graph('Chunks: duplicates, skipped, dead-lettered', [
      appLine(metrics.duplicateDeliveriesSkipped, 'Sum', 'duplicate deliveries skipped'),
      appLine(metrics.chunksSkipped, 'Sum', 'skipped (job finished)'),
      appLine(metrics.chunksExhausted, 'Sum', 'counted failed by the DLQ handler'),
    ]),
    graph('Stalled jobs and dropped dead letters', [
      appLine(metrics.jobsStalled, 'Sum', 're-driven by the sweeper'),
      appLine(metrics.deadLettersDropped, 'Sum', 'dead letters dropped'),
    ]),
    graph('Chunk commit latency (ms)', [
      appLine(metrics.chunkCommitLatency, 'p50', 'p50'),
      appLine(metrics.chunkCommitLatency, 'p99', 'p99'),
    ]),
    graph('Job duration (s), completed jobs', [
      appLine(metrics.jobDuration, 'p50', 'p50'),
      appLine(metrics.jobDuration, 'Maximum', 'max'),
    ]),
  ],
  [
    {
      type: 'alarm',
      properties: {
        title: 'Alarms',
        alarms: [
          deadLetterAlarm,
          oldestMessageAlarm,
          workerErrorRateAlarm,
          apiServerErrorAlarm,
          stalledJobsAlarm,
          deadLettersDroppedAlarm,
        ].map((a) => a.arn),
      },
    },
  ],
];

const WIDTH = 24;
const HEIGHT = 6;
const widgets = rows.flatMap((row, y) =>
  row.map((widget, x) => ({ ...widget, x: x * (WIDTH / row.length), y: y * HEIGHT, width: WIDTH / row.length, height: HEIGHT })),
);

export const dashboard = new aws.cloudwatch.Dashboard('Dashboard', {
  dashboardName: `${$app.name}-${$app.stage}`,
  dashboardBody: $jsonStringify({ widgets }),
});
