import type { KeyStore } from '../../ports';
import type { TenantSettings } from '../../webhooks/tenant-settings';
import { stored } from './stored';

/** API keys, tenants and their settings, and seen webhook signatures, in memory. */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, string>();
  private readonly tenants = new Map<string, TenantSettings>();
  private readonly signatures = new Map<string, { deliveryId: string; expiresAt: number }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async tenantOf(keyHash: string): Promise<string | undefined> {
    return this.keys.get(keyHash);
  }

  async saveKey(keyHash: string, tenantId: string): Promise<void> {
    this.keys.set(keyHash, tenantId);
  }

  async ensureTenant(tenantId: string): Promise<void> {
    if (!this.tenants.has(tenantId)) this.tenants.set(tenantId, { webhookSecrets: [] });
  }

  async settings(tenantId: string): Promise<TenantSettings | undefined> {
    const settings = this.tenants.get(tenantId);
    return settings && stored(settings);
  }

  /** No await between the read and the write: a change applies atomically. */
  async updateSettings(tenantId: string, change: (current: TenantSettings) => TenantSettings): Promise<TenantSettings> {
    const current = this.tenants.get(tenantId);
    if (!current) throw new Error(`tenant ${tenantId} does not exist`);
    const next = change(stored(current));
    this.tenants.set(tenantId, stored(next));
    return next;
  }

  async claimSignedContent(tenantId: string, digest: string, deliveryId: string, expiresAt: number): Promise<string> {
    const key = `${tenantId}#${digest}`;
    const seen = this.signatures.get(key);
    if (seen && seen.deliveryId !== deliveryId && seen.expiresAt >= Math.floor(this.now().getTime() / 1000)) return seen.deliveryId;
    this.signatures.set(key, { deliveryId, expiresAt });
    return deliveryId;
  }
}
