import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface EventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  /** Messages per invocation (SQS returns at most 10 per receive). */
  batchSize: number;
  /** How many invocations may run at once (Lambda's maximum concurrency). */
  concurrency: number;
  /**
   * Long-poll wait, 20 s (the most SQS allows) by default as Lambda's pollers use: an idle queue then
   * costs one request per poller every 20 s; stop() aborts a poll in progress, so shutdown stays quick.
   */
  waitTimeSeconds?: number;
  onError?: (error: unknown) => void;
}

/**
 * What Lambda's SQS event source mapping does, on a laptop: long-poll the
 * queue, invoke the handler with a real SQSEvent, delete the messages that
 * succeeded, and leave the ones in batchItemFailures (or all of them, when the
 * handler throws) to come back after the visibility timeout, until the queue's
 * redrive policy moves them to the dead-letter queue.
 */
export class SqsEventSource {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly abort = new AbortController();

  constructor(private readonly options: EventSourceOptions) {}

  start(): this {
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency }, () => this.poll());
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async poll(): Promise<void> {
    const { sqs, queueUrl, batchSize, waitTimeSeconds = 20 } = this.options;
    while (this.running) {
      try {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(batchSize, 10),
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.abort.signal },
        );
        if (Messages?.length) await invokeAndAcknowledge(this.options, Messages);
      } catch (error) {
        if (!this.running) return;
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

/**
 * One invocation as Lambda makes it: the handler gets a real SQSEvent; the
 * messages that succeeded are deleted, those in batchItemFailures (all of them
 * when the handler throws, or names a message not in the batch) are left to
 * come back after their visibility timeout.
 */
export async function invokeAndAcknowledge(
  options: Pick<EventSourceOptions, 'sqs' | 'queueUrl' | 'queueArn' | 'handler' | 'onError'>,
  messages: Message[],
): Promise<void> {
  const event: SQSEvent = { Records: messages.map((m) => toRecord(m, options.queueArn)) };
  let failed: Set<string>;
  try {
    const response = await options.handler(event);
    const ids = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    // Like Lambda: an identifier that names no message in the batch fails the whole batch.
    const known = new Set(messages.map((m) => m.MessageId!));
    failed = ids.every((id) => known.has(id)) ? new Set(ids) : known;
  } catch (error) {
    options.onError?.(error);
    failed = new Set(messages.map((m) => m.MessageId!));
  }
  const done = messages.filter((m) => !failed.has(m.MessageId!));
  if (done.length === 0) return;
  await options.sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
    }),
  );
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}
