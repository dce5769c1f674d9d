import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Addresses a callback must not reach from AWS: loopback, private, link-local
 * (instance metadata lives at 169.254.169.254), carrier-grade NAT,
 * unspecified, and their IPv6 counterparts.
 */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]);
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6);
}

/**
 * Why a callback host may not be called, or undefined when every address it
 * resolves to is public. (A check before the request: it stops plain SSRF,
 * not a DNS answer that changes in between.)
 */
export async function privateHostProblem(hostname: string): Promise<string | undefined> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  const blocked = addresses.find(isPrivateAddress);
  return blocked ? `callback host ${hostname} resolves to a private address (${blocked})` : undefined;
}
