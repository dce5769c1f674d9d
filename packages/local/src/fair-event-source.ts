import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { invokeAndAcknowledge, type EventSourceOptions } from './event-source';

export interface FairEventSourceOptions extends EventSourceOptions {
  /** The message's tenant: what SQS fair queues call its message group. */
  groupOf: (message: Message) => string;
  /** The queue's visibility timeout: held messages are renewed well before it runs out. */
  visibilityTimeoutSeconds: number;
  /** Received messages the source holds at most, waiting for a worker (its look-ahead). */
  maxHeld?: number;
  /** ... and their bodies' size at most. */
  maxHeldBytes?: number;
}

export const DEFAULT_MAX_HELD = 1000;
const DEFAULT_MAX_HELD_BYTES = 64 * 1024 * 1024;

interface Held {
  message: Message;
  group: string;
  bytes: number;
  /** When its visibility was last set to the full timeout. */
  renewedAt: number;
}

/**
 * The items queue's event source, fair across tenants: what an SQS fair queue
 * and Lambda's event source mapping do together in AWS, done by design on an
 * emulator that has no fair queues.
 *
 * One receiver long-polls the queue ahead of the workers and holds up to
 * `maxHeld` messages per tenant, in arrival order, keeping their visibility
 * alive. Each worker slot builds its batch one message at a time from the
 * tenant with the fewest messages in flight (then the one served longest
 * ago): SQS's documented policy of serving quiet tenants before noisy ones,
 * without its detection thresholds. So a tenant's chunk waits for no other
 * tenant's backlog, only for a worker slot, as long as the backlog ahead of it
 * fits the look-ahead.
 *
 * Delivery semantics stay those of SqsEventSource: when a worker takes a
 * message its visibility restarts at the full timeout (as when Lambda receives
 * it), and a message whose receipt is no longer valid (purged, or taken back by
 * the queue) is dropped, not run; success deletes, batchItemFailures and throws
 * leave the message to the visibility timeout and the redrive policy. On stop,
 * held messages are handed back at once.
 */
export class FairSqsEventSource {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly abort = new AbortController();
  private readonly held = new Map<string, Held[]>();
  private readonly byId = new Map<string, Held>();
  private readonly inFlight = new Map<string, number>();
  private readonly lastServed = new Map<string, number>();
  private turn = 0;
  private heldBytes = 0;
  private readonly messagesArrived = new Wakeup();
  private readonly roomMade = new Wakeup();
  private heartbeat?: NodeJS.Timeout;
  private renewing = false;

  constructor(private readonly options: FairEventSourceOptions) {}

  start(): this {
    this.running = true;
    const every = Math.max(100, (this.options.visibilityTimeoutSeconds * 1000) / 6);
    this.heartbeat = setInterval(() => void this.renewAging(), every);
    const workers = Array.from({ length: this.options.concurrency }, () => this.work());
    // With no worker, nothing is received either (as an event source mapping at zero concurrency).
    this.loops = workers.length ? [this.receive(), ...workers] : [];
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.heartbeat);
    this.abort.abort();
    this.messagesArrived.notifyAll();
    this.roomMade.notifyAll();
    await Promise.all(this.loops);
    // What was never handed to a worker goes back to the queue now, not after its timeout.
    const left = [...this.byId.values()];
    this.byId.clear();
    this.held.clear();
    await this.changeVisibility(left, 0).catch((error) => this.options.onError?.(error));
  }

  /** Messages held and in flight per tenant, for tests and diagnostics. */
  backlog(): Record<string, { held: number; inFlight: number }> {
    const groups = new Set([...this.held.keys(), ...this.inFlight.keys()]);
    return Object.fromEntries(
      [...groups].map((group) => [group, { held: this.held.get(group)?.length ?? 0, inFlight: this.inFlight.get(group) ?? 0 }]),
    );
  }

  private get maxHeld() {
    return this.options.maxHeld ?? DEFAULT_MAX_HELD;
  }

  private full() {
    return this.byId.size >= this.maxHeld || this.heldBytes >= (this.options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES);
  }

  private async receive(): Promise<void> {
    const { sqs, queueUrl, waitTimeSeconds = 20 } = this.options;
    while (this.running) {
      if (this.full()) {
        await this.roomMade.wait(1000);
        continue;
      }
      try {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(10, this.maxHeld - this.byId.size),
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.abort.signal },
        );
        const now = Date.now();
        for (const message of Messages) this.hold(message, now);
        if (Messages.length) this.messagesArrived.notifyAll();
      } catch (error) {
        if (!this.running) return;
        this.options.onError?.(error);
        await sleep(500);
      }
    }
  }

  private hold(message: Message, now: number) {
    const known = this.byId.get(message.MessageId!);
    if (known) {
      // Its visibility ran out while held and the queue delivered it again: only the new receipt is valid.
      known.message = message;
      known.renewedAt = now;
      return;
    }
    const group = this.options.groupOf(message);
    const entry: Held = { message, group, bytes: message.Body?.length ?? 0, renewedAt: now };
    const queue = this.held.get(group);
    if (queue) queue.push(entry);
    else this.held.set(group, [entry]);
    this.byId.set(message.MessageId!, entry);
    this.heldBytes += entry.bytes;
  }

  private async work(): Promise<void> {
    while (this.running) {
      const batch = this.take();
      if (batch.length === 0) {
        await this.messagesArrived.wait(1000);
        continue;
      }
      this.roomMade.notifyAll();
      try {
        const owned = await this.renew(batch);
        if (owned.length) await invokeAndAcknowledge(this.options, owned.map((entry) => entry.message));
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        for (const { group } of batch) this.settle(group);
      }
    }
  }

  /** A batch built one message at a time, each from the quietest tenant: fewest in flight, then served longest ago. */
  private take(): Held[] {
    const batch: Held[] = [];
    while (batch.length < Math.min(this.options.batchSize, 10) && this.held.size > 0) {
      let pick: string | undefined;
      for (const group of this.held.keys()) {
        if (pick === undefined || this.quieter(group, pick)) pick = group;
      }
      const queue = this.held.get(pick!)!;
      const entry = queue.shift()!;
      if (queue.length === 0) this.held.delete(pick!);
      this.byId.delete(entry.message.MessageId!);
      this.heldBytes -= entry.bytes;
      this.inFlight.set(pick!, (this.inFlight.get(pick!) ?? 0) + 1);
      this.lastServed.set(pick!, ++this.turn);
      batch.push(entry);
    }
    return batch;
  }

  private quieter(a: string, b: string): boolean {
    const flying = (this.inFlight.get(a) ?? 0) - (this.inFlight.get(b) ?? 0);
    return flying < 0 || (flying === 0 && (this.lastServed.get(a) ?? 0) < (this.lastServed.get(b) ?? 0));
  }

  private settle(group: string) {
    const left = (this.inFlight.get(group) ?? 1) - 1;
    if (left > 0) return void this.inFlight.set(group, left);
    this.inFlight.delete(group);
    if (!this.held.has(group)) this.lastServed.delete(group);
  }

  /** Restarts the visibility of messages taken by a worker; returns those still ours. */
  private async renew(batch: Held[]): Promise<Held[]> {
    const lost = await this.changeVisibility(batch, this.options.visibilityTimeoutSeconds);
    return batch.filter((entry) => !lost.has(entry));
  }

  /** Held messages past a third of their visibility get it renewed; those no longer ours are dropped. */
  private async renewAging() {
    if (this.renewing || !this.running) return;
    this.renewing = true;
    try {
      const cutoff = Date.now() - (this.options.visibilityTimeoutSeconds * 1000) / 3;
      const aging = [...this.byId.values()].filter((entry) => entry.renewedAt < cutoff);
      if (aging.length === 0) return;
      const lost = await this.changeVisibility(aging, this.options.visibilityTimeoutSeconds);
      for (const entry of lost) this.drop(entry);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.renewing = false;
    }
  }

  private drop(entry: Held) {
    const queue = this.held.get(entry.group);
    const at = queue?.indexOf(entry) ?? -1;
    if (at < 0) return; // a worker took it meanwhile, and renewed it itself
    queue!.splice(at, 1);
    if (queue!.length === 0) this.held.delete(entry.group);
    this.byId.delete(entry.message.MessageId!);
    this.heldBytes -= entry.bytes;
    this.roomMade.notifyAll();
  }

  /** ChangeMessageVisibilityBatch, ten at a time; returns the entries whose receipt was refused. */
  private async changeVisibility(entries: Held[], seconds: number): Promise<Set<Held>> {
    const lost = new Set<Held>();
    const now = Date.now();
    for (let i = 0; i < entries.length; i += 10) {
      const slice = entries.slice(i, i + 10);
      const { Failed = [] } = await this.options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: slice.map((entry, n) => ({ Id: String(n), ReceiptHandle: entry.message.ReceiptHandle!, VisibilityTimeout: seconds })),
        }),
      );
      const refused = new Set(Failed.map((failure) => failure.Id));
      slice.forEach((entry, n) => (refused.has(String(n)) ? lost.add(entry) : (entry.renewedAt = now)));
    }
    return lost;
  }
}

/** The tenant of an items-queue message: its MessageGroupId where the queue keeps it (AWS), else the chunk's own. */
export function chunkTenant(message: Message): string {
  if (message.Attributes?.MessageGroupId) return message.Attributes.MessageGroupId;
  // Only the tenant is needed here: the worker validates the whole chunk (a full decode cost ~1 % of a big import).
  try {
    const { tenantId } = JSON.parse(message.Body ?? '') as { tenantId?: unknown };
    return typeof tenantId === 'string' ? tenantId : '';
  } catch {
    return ''; // not a chunk: the worker reports it; for fairness it is a tenant of its own
  }
}

/** Lets loops sleep until something happens (or a timeout passes). */
class Wakeup {
  private waiting: (() => void)[] = [];

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.waiting = self.waiting.filter((w) => w !== done);
        resolve();
      }
      this.waiting.push(done);
    });
  }

  notifyAll() {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
