/**
 * The key that seals tenants' webhook signing secrets in the jobs table
 * (AES-256-GCM; packages/core/src/webhooks/secret-box.ts). It is never in the
 * table: it is an SST secret, set once per stage before the first deploy with
 *
 *   npx sst secret set WebhookSecretsKey "$(openssl rand -base64 32)" --stage <stage>
 *
 * and linked only to the functions that read or write signing secrets (the
 * API, which verifies webhooks, and the notifier, which signs callbacks).
 */
export const webhookSecretsKey = new sst.Secret('WebhookSecretsKey');
