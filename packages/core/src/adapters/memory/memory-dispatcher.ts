import type { Chunk } from '../../jobs/chunk';
import { chunkMessage, encodeChunk, type JobTask } from '../../jobs/messages';
import type { Dispatcher } from '../../ports';
import { queueDefaults } from '../../resources/queues';

/** What consumes each queue when a test drains them; `receiveCount` is the delivery's number, from 1. */
export interface Consumers {
  chunk(chunk: Chunk, receiveCount: number): Promise<unknown>;
  task(task: JobTask, receiveCount: number): Promise<unknown>;
  notification?(jobId: string, receiveCount: number): Promise<unknown>;
  /** A chunk that failed on every delivery (the items dead-letter queue); it is dropped when absent. */
  deadChunk?(chunk: Chunk): Promise<unknown>;
  /** A task that failed on every delivery (the plans dead-letter queue); it is dropped when absent. */
  deadTask?(task: JobTask): Promise<unknown>;
}

type Message =
  | { queue: 'items'; chunk: Chunk; receiveCount: number }
  | { queue: 'plans'; task: JobTask; receiveCount: number }
  | { queue: 'notifications'; jobId: string; delaySeconds: number; receiveCount: number };

export interface DrainReport {
  /** Deliveries made, retries included. */
  deliveries: number;
  /** Deliveries whose consumer threw (and that were delivered again, or dead-lettered). */
  errors: unknown[];
  deadChunks: Chunk[];
  deadTasks: JobTask[];
}

/**
 * The three queues in memory. It records every message sent (`chunks`,
 * `tasks`, `notifications`, in order, repeats included) and keeps the ones
 * not yet delivered, which `drain` hands to consumers one at a time until
 * none is left, as SQS would: a consumer that throws gets the message again,
 * up to the queues' maxReceiveCount, and then the dead-letter consumer does.
 * Chunks go through their queue encoding, so what arrives is what SQS would carry.
 */
export class MemoryDispatcher implements Dispatcher {
  readonly chunks: Chunk[] = [];
  readonly tasks: JobTask[] = [];
  readonly notifications: { jobId: string; delaySeconds: number }[] = [];
  private queue: Message[] = [];
  /** The message a consumer has now. */
  private delivering?: Message;

  constructor(private readonly maxReceiveCount: number = queueDefaults.maxReceiveCount) {}

  async send(chunks: Chunk[]): Promise<void> {
    for (const chunk of chunks) {
      const carried = chunkMessage.decode(encodeChunk(chunk));
      this.chunks.push(carried);
      this.queue.push({ queue: 'items', chunk: carried, receiveCount: 0 });
    }
  }

  async requestTask(task: JobTask): Promise<void> {
    this.tasks.push({ ...task });
    this.queue.push({ queue: 'plans', task: { ...task }, receiveCount: 0 });
  }

  async requestNotification(jobId: string, delaySeconds: number): Promise<void> {
    this.notifications.push({ jobId, delaySeconds });
    this.queue.push({ queue: 'notifications', jobId, delaySeconds, receiveCount: 0 });
  }

  /** Chunks on the items queue, not yet delivered or being delivered. */
  async waitingChunks(): Promise<number> {
    return [...this.queue, this.delivering].filter((message) => message?.queue === 'items').length;
  }

  /** Messages sent and not delivered yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** Loses every message not delivered yet (as a purge or an emulator restart would) and returns how many. */
  lose(): number {
    const lost = this.queue.length;
    this.queue = [];
    return lost;
  }

  /** Delivers messages, oldest first, until no queue holds any (or `maxDeliveries` were made). */
  async drain(consumers: Consumers, maxDeliveries = 100_000): Promise<DrainReport> {
    const report: DrainReport = { deliveries: 0, errors: [], deadChunks: [], deadTasks: [] };
    while (this.queue.length > 0) {
      if (report.deliveries >= maxDeliveries) throw new Error(`queues still hold ${this.queue.length} messages after ${maxDeliveries} deliveries`);
      const message = this.queue.shift()!;
      message.receiveCount++;
      report.deliveries++;
      this.delivering = message;
      try {
        if (message.queue === 'items') await consumers.chunk(message.chunk, message.receiveCount);
        else if (message.queue === 'plans') await consumers.task(message.task, message.receiveCount);
        else await consumers.notification?.(message.jobId, message.receiveCount);
      } catch (error) {
        report.errors.push(error);
        if (message.receiveCount < this.maxReceiveCount) this.queue.push(message);
        else if (message.queue === 'items') {
          report.deadChunks.push(message.chunk);
          await consumers.deadChunk?.(message.chunk);
        } else if (message.queue === 'plans') {
          report.deadTasks.push(message.task);
          await consumers.deadTask?.(message.task);
        }
      } finally {
        this.delivering = undefined;
      }
    }
    return report;
  }
}
