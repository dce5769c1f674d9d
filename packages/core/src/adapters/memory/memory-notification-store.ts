import type { NotificationAttempt, NotificationRecord, NotificationStore } from '../../ports';
import { stored } from './stored';

/** Completion callbacks in memory, with DynamoNotificationStore's claim (a lease on a pending one). */
export class MemoryNotificationStore implements NotificationStore {
  private readonly records = new Map<string, { record: NotificationRecord; leaseUntil?: number }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async open(record: NotificationRecord): Promise<NotificationRecord> {
    if (!this.records.has(record.jobId)) this.records.set(record.jobId, { record: stored(record) });
    return stored(this.records.get(record.jobId)!.record);
  }

  async get(jobId: string): Promise<NotificationRecord | undefined> {
    const found = this.records.get(jobId);
    return found && stored(found.record);
  }

  async markQueued(jobId: string): Promise<void> {
    const found = this.records.get(jobId);
    if (found) found.record.queued = true;
  }

  async claim(jobId: string, leaseSeconds: number): Promise<NotificationRecord | undefined> {
    const found = this.records.get(jobId);
    const now = this.now().getTime();
    if (!found || found.record.state !== 'pending' || (found.leaseUntil !== undefined && found.leaseUntil >= now)) return undefined;
    found.leaseUntil = now + leaseSeconds * 1000;
    return stored(found.record);
  }

  async recordAttempt(jobId: string, attempt: NotificationAttempt, state: NotificationRecord['state']): Promise<void> {
    const found = this.records.get(jobId);
    if (!found) throw new Error(`job ${jobId} has no notification`);
    found.record.attempts.push(stored(attempt));
    found.record.state = state;
    delete found.leaseUntil;
  }
}
