import type { TenantUsageStore, UsageEntry } from '../../tenants/tenant-limits';
import { stored } from './stored';

/** A tenant's job reservations in memory, versioned like DynamoTenantUsage. */
export class MemoryTenantUsage implements TenantUsageStore {
  private readonly usage = new Map<string, { entries: UsageEntry[]; version: number }>();

  async read(tenantId: string) {
    return stored(this.usage.get(tenantId) ?? { entries: [], version: 0 });
  }

  async write(tenantId: string, entries: UsageEntry[], version: number): Promise<boolean> {
    const current = this.usage.get(tenantId);
    if (current && current.version !== version) return false;
    this.usage.set(tenantId, { entries: stored(entries), version: version + 1 });
    return true;
  }
}
