import ipaddr from 'ipaddr.js';

/**
 * Which addresses a completion callback may connect to: public unicast only.
 *
 * Every form of an address is first parsed by ipaddr.js (dotted, decimal,
 * hex and octal IPv4, any IPv6 spelling); an IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d`, however written) is judged as the IPv4 address it
 * carries. Then the address must be in ipaddr.js's `unicast` range, which
 * leaves out loopback, private, link-local, carrier-grade NAT, unspecified,
 * multicast, broadcast, benchmarking, documentation and the other
 * special-purpose blocks. IPv6 must also be global unicast (2000::/3), so
 * IPv4-compatible (`::7f00:1`), NAT64 (64:ff9b::/96) and the like are
 * refused, and the blocks below, which ipaddr.js may class as unicast, are
 * refused too (IANA special-purpose registries).
 */
const EXTRA_REFUSED = [
  '0.0.0.0/8',
  '100.64.0.0/10',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '240.0.0.0/4',
  '2001::/23',
  '2001:db8::/32',
  '2002::/16',
  '3fff::/20',
].map((cidr) => ipaddr.parseCIDR(cidr));

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

export type AddressVerdict = 'public' | 'loopback' | 'refused';

/** Parses any IPv4/IPv6 form, or undefined when `value` is not an IP address. */
export function parseAddress(value: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = canonicalIPv6(/^\[(.*)\]$/.exec(value)?.[1] ?? value);
  if (!ipaddr.isValid(bare)) return undefined;
  const parsed = ipaddr.parse(bare);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

/**
 * IPv6 in the WHATWG URL parser's canonical form (as Node's own URL writes
 * it). ipaddr.js reads the IPv4-compatible `::a.b.c.d` as if it were
 * IPv4-mapped; canonical hex (`::7f00:1`) keeps the two apart. A value the
 * URL parser does not take (e.g. with a zone id) stays as it is.
 */
function canonicalIPv6(value: string): string {
  if (!value.includes(':')) return value;
  try {
    return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  } catch {
    return value;
  }
}

/** What an address is, for the callback filter; anything that does not parse is refused. */
export function classifyAddress(value: string): AddressVerdict {
  const address = parseAddress(value);
  if (!address) return 'refused';
  const range = address.range();
  if (range === 'loopback') return 'loopback';
  if (range !== 'unicast') return 'refused';
  if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) return 'refused';
  const refused = EXTRA_REFUSED.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
  return refused ? 'refused' : 'public';
}

/** True when a callback may connect to this address: public, or loopback where the runtime allows it (the local stack). */
export function isAllowedAddress(value: string, allowLoopback: boolean): boolean {
  const verdict = classifyAddress(value);
  return verdict === 'public' || (allowLoopback && verdict === 'loopback');
}
