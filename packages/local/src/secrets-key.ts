import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newSecretsKey, parseSecretsKey } from '@merchantops/core/webhooks/secret-box';

/**
 * The key that seals webhook signing secrets locally: WEBHOOK_SECRETS_KEY when
 * set, else the key file in the data folder, created (owner-only) on first
 * use. `npm start` and `npm run keys` read the same file, so secrets one
 * writes the other can read; it is kept also with IN_MEMORY=1.
 */
export function localSecretsKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): { key: string; source: string } {
  if (env.WEBHOOK_SECRETS_KEY) {
    parseSecretsKey(env.WEBHOOK_SECRETS_KEY);
    return { key: env.WEBHOOK_SECRETS_KEY, source: 'WEBHOOK_SECRETS_KEY' };
  }
  const file = path.join(dataDir, 'webhook-secrets.key');
  try {
    const key = readFileSync(file, 'utf8').trim();
    parseSecretsKey(key, file);
    return { key, source: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': if another process made it first, its key wins (read below).
    writeFileSync(file, `${newSecretsKey()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { key: readFileSync(file, 'utf8').trim(), source: file };
}
