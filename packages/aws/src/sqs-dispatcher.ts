import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Chunk } from '@merchantops/core/jobs/chunk';
import { encodeChunk, notifyMessage, taskMessage, type JobTask } from '@merchantops/core/jobs/messages';
import type { Dispatcher } from '@merchantops/core/ports';

const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 1024 * 1024;
const MAX_ATTEMPTS = 5;
const PARALLEL_BATCHES = 8;

/**
 * Sends chunks to the items queue with SendMessageBatch (≤ 10 entries, ≤ 1 MiB per call), several calls at a time.
 * Every chunk carries its tenant as `MessageGroupId`: on a standard queue that is what makes SQS fair queues
 * tell tenants apart and serve a quiet tenant before a noisy one's backlog (docs/architecture.md, "Fair share"). The local
 * emulator accepts the attribute and ignores it; the local event source gives the same fairness itself.
 */
export class SqsDispatcher implements Dispatcher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly plansQueueUrl: string,
    private readonly notificationsQueueUrl: string,
  ) {}

  async requestNotification(jobId: string, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.notificationsQueueUrl,
        MessageBody: notifyMessage.encode(jobId),
        // SQS delays a message by at most 15 minutes.
        DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))),
      }),
    );
  }

  async waitingChunks(): Promise<number> {
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  async requestTask(task: JobTask): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.plansQueueUrl, MessageBody: taskMessage.encode(task) }));
  }

  async send(chunks: Chunk[]): Promise<void> {
    const batches = toBatches(chunks.map((chunk) => ({ id: String(chunk.n), body: encodeChunk(chunk), group: chunk.tenantId })));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await this.sendBatch(batches[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker));
  }

  /** Sends one batch, re-sending the entries SQS reports in Failed[] with backoff. */
  private async sendBatch(entries: Entry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: pending.map((entry) => ({ Id: entry.id, MessageBody: entry.body, MessageGroupId: entry.group })),
        }),
      );
      const failed = new Map((result.Failed ?? []).map((f) => [f.Id, f]));
      const senderFault = [...failed.values()].find((f) => f.SenderFault);
      if (senderFault) throw new Error(`SQS rejected chunk ${senderFault.Id}: ${senderFault.Code} ${senderFault.Message}`);
      pending = pending.filter((entry) => failed.has(entry.id));
      if (pending.length > 0 && attempt >= MAX_ATTEMPTS) {
        throw new Error(`SQS did not accept ${pending.length} chunk(s) after ${attempt} attempts`);
      }
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

interface Entry {
  id: string;
  body: string;
  /** The tenant: SQS fair queues' unit of fairness. */
  group?: string;
}

/** Groups entries so that no call exceeds 10 entries or 1 MiB of bodies. */
export function toBatches(entries: Entry[]): Entry[][] {
  const batches: Entry[][] = [];
  let batch: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.body);
    if (batch.length === MAX_ENTRIES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
