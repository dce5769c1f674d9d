import { Resource } from 'sst/resource';
import { readConfig, type Config } from '@merchantops/core/config';

/**
 * The configuration of a Lambda that reads or writes webhook signing secrets:
 * the environment, plus the key from the linked SST secret `WebhookSecretsKey`
 * (WEBHOOK_SECRETS_KEY, when set, wins).
 */
export function lambdaConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = readConfig(env);
  return { ...config, webhookSecretsKey: config.webhookSecretsKey ?? linkedSecretsKey() };
}

function linkedSecretsKey(): string | undefined {
  try {
    return (Resource as unknown as Record<string, { value?: string } | undefined>).WebhookSecretsKey?.value;
  } catch {
    return undefined; // not linked (outside AWS): the key store then refuses sealed secrets
  }
}
