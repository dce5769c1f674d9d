import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signature's timestamp may be from now, against replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
export const SIGNATURE_HEADER = 'MerchantOps-Signature';
/**
 * End of the migration period of the old signature form (`v1`, which does not
 * cover the delivery id). Until then incoming webhooks may still be signed
 * with v1 only; such requests are also deduplicated on their signed content.
 */
export const V1_ACCEPTED_UNTIL = new Date('2027-06-30T00:00:00Z');

/** v1 (old form): hex HMAC-SHA256 of "<t>.<raw body>". */
export function signatureOf(secret: string, timestamp: number, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** v2: hex HMAC-SHA256 of "<t>.<delivery id>.<raw body>": a delivery id cannot be changed without the secret. */
export function signatureV2Of(secret: string, timestamp: number, deliveryId: string, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${deliveryId}.`).update(body).digest('hex');
}

/**
 * The header value for a body: `t=<unix seconds>,v1=<hex>` (one v1 per
 * secret given), and with a delivery id also one `v2=<hex>` per secret.
 */
export function signatureHeader(secrets: string[], timestamp: number, body: Uint8Array | string, deliveryId?: string): string {
  return [
    `t=${timestamp}`,
    ...secrets.map((secret) => `v1=${signatureOf(secret, timestamp, body)}`),
    ...(deliveryId === undefined ? [] : secrets.map((secret) => `v2=${signatureV2Of(secret, timestamp, deliveryId, body)}`)),
  ].join(',');
}

export interface ParsedSignature {
  timestamp: number;
  v1: string[];
  v2: string[];
}

export function parseSignatureHeader(header: string | undefined): ParsedSignature | undefined {
  if (!header) return undefined;
  let timestamp: number | undefined;
  const parsed: ParsedSignature = { timestamp: 0, v1: [], v2: [] };
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value ?? '')) timestamp = Number(value);
    else if ((key === 'v1' || key === 'v2') && /^[0-9a-f]{64}$/i.test(value ?? '')) parsed[key].push(value.toLowerCase());
  }
  return timestamp !== undefined && (parsed.v1.length || parsed.v2.length) ? { ...parsed, timestamp } : undefined;
}

/** True when some given signature equals some expected one; every pair is compared, in constant time. */
function anyMatches(expected: string[], given: string[]): boolean {
  let valid = false;
  for (const e of expected) {
    const bytes = Buffer.from(e, 'hex');
    // No early exit: timing says nothing about which pair matched.
    for (const g of given) if (timingSafeEqual(bytes, Buffer.from(g, 'hex'))) valid = true;
  }
  return valid;
}

export interface VerifyOptions {
  /** The request's delivery id; v2 signatures cover it. Without one, only v1 can verify. */
  deliveryId?: string;
  /** Whether the old form (v1) still verifies. */
  acceptV1?: boolean;
  toleranceSeconds?: number;
}

/**
 * Which form verified ('v2' preferred, then 'v1' if accepted), or false:
 * some signature must match some secret over these exact bytes, and the
 * timestamp must be within the tolerance.
 */
export function verifySignatureForm(
  secrets: string[],
  header: string | undefined,
  body: Uint8Array,
  nowSeconds: number,
  options: VerifyOptions = {},
): 'v1' | 'v2' | false {
  const parsed = parseSignatureHeader(header);
  if (!parsed || Math.abs(nowSeconds - parsed.timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const { deliveryId } = options;
  if (deliveryId !== undefined && anyMatches(secrets.map((s) => signatureV2Of(s, parsed.timestamp, deliveryId, body)), parsed.v2)) {
    return 'v2';
  }
  if ((options.acceptV1 ?? true) && anyMatches(secrets.map((s) => signatureOf(s, parsed.timestamp, body)), parsed.v1)) return 'v1';
  return false;
}

/** True when a v1 signature verifies (what receivers of our callbacks check; v2 needs the delivery id). */
export function verifySignature(
  secrets: string[],
  header: string | undefined,
  body: Uint8Array,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  return verifySignatureForm(secrets, header, body, nowSeconds, { toleranceSeconds }) === 'v1';
}
