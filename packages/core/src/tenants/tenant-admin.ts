import type { KeyStore } from '../ports';
import { callbackUrlProblem } from '../notifications/callback-url';
import { newWebhookSecret, rotate, ROTATION_GRACE_SECONDS } from '../webhooks/tenant-settings';
import { hashApiKey, newApiKey, TENANT_PATTERN } from './api-key';

/** Operator actions on tenants (the `npm run keys` commands and the local stack's demo tenant). */

export function assertTenantName(tenant: string) {
  if (!TENANT_PATTERN.test(tenant)) {
    throw new Error('tenant must be 1-63 lowercase letters, digits or "-", starting with a letter or digit');
  }
}

/** Creates the tenant if needed and a new API key for it; the key is returned once and stored hashed. */
export async function createApiKey(keys: KeyStore, tenant: string, key = newApiKey()): Promise<string> {
  assertTenantName(tenant);
  await keys.ensureTenant(tenant);
  await keys.saveKey(hashApiKey(key), tenant);
  return key;
}

/**
 * Creates the tenant's webhook signing secret, or rotates it: the new secret
 * signs from now on, and the previous one still verifies for `graceSeconds`.
 */
export async function rotateWebhookSecret(
  keys: KeyStore,
  tenant: string,
  graceSeconds = ROTATION_GRACE_SECONDS,
  secret = newWebhookSecret(),
): Promise<string> {
  assertTenantName(tenant);
  await keys.ensureTenant(tenant);
  await keys.updateSettings(tenant, (current) => rotate(current, secret, new Date(), graceSeconds));
  return secret;
}

/** Sets (or, with undefined, clears) the tenant's default completion callback. */
export async function setDefaultCallbackUrl(keys: KeyStore, tenant: string, url: string | undefined, allowLocalHttp: boolean) {
  assertTenantName(tenant);
  const problem = url && callbackUrlProblem(url, allowLocalHttp);
  if (problem) throw new Error(`callback URL ${problem}`);
  await keys.ensureTenant(tenant);
  await keys.updateSettings(tenant, (current) => ({ ...current, callbackUrl: url }));
}
