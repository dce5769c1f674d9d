import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key that is never
 * stored in the table (an SST Secret in AWS, a key file locally). Each value
 * gets its own random 96-bit IV; the tenant id is authenticated data, so a
 * sealed secret copied to another tenant's record does not open.
 *
 * Stored form: `enc:v1:<iv>:<tag>:<ciphertext>` (base64url). A value without
 * the prefix is a secret stored before encryption: it is read as it is and
 * sealed the next time the tenant's settings are written.
 */
const PREFIX = 'enc:v1:';

export interface SecretBox {
  seal(plain: string, tenantId: string): string;
  open(stored: string, tenantId: string): string;
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

/** A new random key, as the base64 text WEBHOOK_SECRETS_KEY and the key file hold. */
export const newSecretsKey = () => randomBytes(32).toString('base64');

/** The 32-byte key from its base64 text; throws a message naming the setting when it is not one. */
export function parseSecretsKey(text: string, where = 'WEBHOOK_SECRETS_KEY'): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${where} must be 32 bytes in base64 (e.g. from: openssl rand -base64 32)`);
  return key;
}

export function secretBox(keyText: string): SecretBox {
  const key = parseSecretsKey(keyText);
  return {
    seal(plain, tenantId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(tenantId));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join(':');
    },
    open(stored, tenantId) {
      if (!isSealed(stored)) return stored;
      const [iv, tag, data] = stored.slice(PREFIX.length).split(':').map((part) => Buffer.from(part, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(tenantId));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    },
  };
}

/** Without a key: plaintext (from before encryption) reads; sealed secrets and every write refuse. */
export const noSecretBox: SecretBox = {
  seal() {
    throw new Error('webhook secrets cannot be stored: no WEBHOOK_SECRETS_KEY is configured');
  },
  open(stored) {
    if (isSealed(stored)) throw new Error('webhook secrets cannot be read: no WEBHOOK_SECRETS_KEY is configured');
    return stored;
  },
};
