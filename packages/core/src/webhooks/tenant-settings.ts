import { randomBytes } from 'node:crypto';

/** A tenant's webhook signing secrets: the newest signs; any unexpired one verifies. */
export interface WebhookSecret {
  secret: string;
  createdAt: string;
  /** Set on the previous secret when a new one is made: the end of its grace period. */
  expiresAt?: string;
}

export interface TenantSettings {
  webhookSecrets: WebhookSecret[];
  /** Default completion callback for the tenant's jobs. */
  callbackUrl?: string;
}

/** How long the old secret keeps verifying after a rotation. */
export const ROTATION_GRACE_SECONDS = 24 * 3600;

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Secrets that verify now, newest first. */
export function activeSecrets(settings: TenantSettings | undefined, now: Date): string[] {
  return (settings?.webhookSecrets ?? [])
    .filter((s) => !s.expiresAt || new Date(s.expiresAt) > now)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
    .map((s) => s.secret);
}

/** Settings after a rotation: a new secret; the previous current one expires after the grace period; older ones go. */
export function rotate(settings: TenantSettings | undefined, secret: string, now: Date, graceSeconds = ROTATION_GRACE_SECONDS): TenantSettings {
  const graceEnd = new Date(now.getTime() + graceSeconds * 1000).toISOString();
  const kept = (settings?.webhookSecrets ?? [])
    .filter((s) => !s.expiresAt || new Date(s.expiresAt) > now)
    .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < graceEnd ? s.expiresAt : graceEnd }));
  return { ...settings, webhookSecrets: [{ secret, createdAt: now.toISOString() }, ...kept] };
}
