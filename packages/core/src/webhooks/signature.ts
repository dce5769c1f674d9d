import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signature's timestamp may be from now, against replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
export const SIGNATURE_HEADER = 'MerchantOps-Signature';

/** hex HMAC-SHA256 of "<t>.<raw body>". */
export function signatureOf(secret: string, timestamp: number, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for a body: `t=<unix seconds>,v1=<hex>` (one v1 per secret given). */
export function signatureHeader(secrets: string[], timestamp: number, body: Uint8Array | string): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signatureOf(secret, timestamp, body)}`)].join(',');
}

export function parseSignatureHeader(header: string | undefined): { timestamp: number; signatures: string[] } | undefined {
  if (!header) return undefined;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value ?? '')) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value ?? '')) signatures.push(value.toLowerCase());
  }
  return timestamp !== undefined && signatures.length ? { timestamp, signatures } : undefined;
}

/**
 * True when some v1 signature matches some secret over these exact bytes,
 * compared in constant time, and the timestamp is within the tolerance.
 */
export function verifySignature(
  secrets: string[],
  header: string | undefined,
  body: Uint8Array,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const parsed = parseSignatureHeader(header);
  if (!parsed || Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return false;
  let valid = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signatureOf(secret, parsed.timestamp, body), 'hex');
    for (const given of parsed.signatures) {
      // No early exit: every pair is compared, so timing says nothing about which matched.
      if (timingSafeEqual(expected, Buffer.from(given, 'hex'))) valid = true;
    }
  }
  return valid;
}
