import { createHash, randomBytes } from 'node:crypto';

/** Keys are random, shown once, and stored only as their SHA-256. */
export const newApiKey = () => `mo_${randomBytes(24).toString('base64url')}`;
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
