import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCallbackSender } from '@merchantops/aws/http-callback-sender';
import { classifyAddress, isAllowedAddress } from '@merchantops/core/notifications/private-address';
import { callbackUrlProblem } from '@merchantops/core/notifications/callback-url';
import { products, useStack, waitFor } from '../support/stack';
import { startReceiver } from '../support/receiver';
import { installSocketHook } from './socket-hook';

/** Every way we know to write one IPv4 address (all of them parse to the same address). */
function ipv4Encodings(dotted: string): string[] {
  const octets = dotted.split('.').map(Number);
  const value = octets.reduce((n, o) => n * 256 + o, 0);
  const hex = (n: number, width = 0) => n.toString(16).padStart(width, '0');
  const high = hex((octets[0] << 8) | octets[1]);
  const low = hex((octets[2] << 8) | octets[3]);
  return [
    dotted,
    String(value), // decimal
    `0x${hex(value)}`, // hex
    `0X${hex(value).toUpperCase()}`,
    `0${value.toString(8)}`, // octal
    octets.map((o) => `0x${hex(o)}`).join('.'),
    octets.map((o) => `0X${hex(o, 2).toUpperCase()}`).join('.'),
    octets.map((o) => `0${o.toString(8)}`).join('.'), // zero-padded = octal
    octets.map((o) => String(o).padStart(3, '0').replace(/^0+(?=\d)/, '')).join('.'),
    `${octets[0]}.${(octets[1] << 16) | (octets[2] << 8) | octets[3]}`, // a.bcd
    `${octets[0]}.${octets[1]}.${(octets[2] << 8) | octets[3]}`, // a.b.cd
    `::ffff:${dotted}`, // IPv4-mapped
    `::FFFF:${dotted}`,
    `::ffff:${high}:${low}`,
    `0:0:0:0:0:ffff:${high}:${low}`,
    `0000:0000:0000:0000:0000:FFFF:${high.padStart(4, '0')}:${low.padStart(4, '0')}`,
    `[::ffff:${dotted}]`,
  ];
}

/** IPv6 addresses that carry an IPv4 address but are not IPv4-mapped: never a callback target. */
function embeddingForms(dotted: string): string[] {
  const octets = dotted.split('.').map(Number);
  const high = ((octets[0] << 8) | octets[1]).toString(16);
  const low = ((octets[2] << 8) | octets[3]).toString(16);
  return [
    `::${dotted}`, // IPv4-compatible
    `::${high}:${low}`,
    `64:ff9b::${dotted}`, // NAT64
    `64:FF9B::${high}:${low}`,
    `64:ff9b:1::${high}:${low}`,
    `2002:${high}:${low}::1`, // 6to4
    `2001:0:${high}:${low}::1`, // Teredo
  ];
}

const INTERNAL = [
  '127.0.0.1',
  '127.255.0.9',
  '10.0.0.1',
  '172.16.5.4',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '198.18.0.1',
  '198.19.255.254',
  '224.0.0.1',
  '239.255.255.250',
  '255.255.255.255',
  '192.0.2.10',
  '192.0.0.8',
  '240.0.0.1',
];
const PUBLIC = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '151.101.1.69'];

/** A small deterministic generator, so a failure names a reproducible address. */
function* randomIPv4(count: number, seed = 42): Generator<string> {
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const value = Math.imul(state, 2654435761) >>> 0;
    yield [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
  }
}

describe('the callback address filter', () => {
  it.each(INTERNAL)('refuses %s in every encoding, from AWS', (address) => {
    for (const form of [...ipv4Encodings(address), ...embeddingForms(address)]) {
      expect(isAllowedAddress(form, false), form).toBe(false);
      // The WHATWG URL parser rewrites hosts (e.g. [::ffff:127.0.0.1] -> [::ffff:7f00:1]); its result is refused too.
      const host = new URL(`https://${form.includes(':') && !form.startsWith('[') ? `[${form}]` : form}/`).hostname;
      expect(isAllowedAddress(host, false), `${form} as URL host ${host}`).toBe(false);
      expect(callbackUrlProblem(`https://${form.includes(':') && !form.startsWith('[') ? `[${form}]` : form}/hook`, false), form).toBe(
        'must be a public address',
      );
    }
  });

  it('allows loopback only where the runtime allows it, and only loopback', () => {
    for (const form of ipv4Encodings('127.0.0.1')) expect(classifyAddress(form), form).toBe('loopback');
    for (const form of [...ipv4Encodings('127.0.0.1'), '::1', '0:0:0:0:0:0:0:1']) expect(isAllowedAddress(form, true), form).toBe(true);
    for (const form of [...embeddingForms('127.0.0.1'), ...ipv4Encodings('10.0.0.1'), 'fe80::1', 'fc00::1', 'ff02::1']) {
      expect(isAllowedAddress(form, true), form).toBe(false);
    }
  });

  it('refuses the IPv6 special-purpose ranges', () => {
    for (const address of ['::', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'ff0e::1', 'fec0::1', '2001:db8::1', '100::1', '3fff::1', '4000::1', '5f00::1']) {
      expect(classifyAddress(address), address).toBe('refused');
    }
    for (const address of ['2606:4700:4700::1111', '2a00:1450:4001:81b::200e', '[2606:4700::6810:84e5]']) {
      expect(classifyAddress(address), address).toBe('public');
    }
  });

  it('allows public addresses in their IPv4 and IPv4-mapped forms, never through NAT64, 6to4 or compatible forms', () => {
    for (const address of PUBLIC) {
      for (const form of ipv4Encodings(address)) expect(classifyAddress(form), form).toBe('public');
      for (const form of embeddingForms(address)) expect(classifyAddress(form), form).toBe('refused');
    }
  });

  it('gives every encoding of 2,000 random addresses the verdict of the dotted form', () => {
    let refused = 0;
    for (const address of randomIPv4(2000)) {
      const verdict = classifyAddress(address);
      if (verdict !== 'public') refused++;
      for (const form of ipv4Encodings(address)) expect(classifyAddress(form), `${form} (${address})`).toBe(verdict);
      for (const form of embeddingForms(address)) expect(classifyAddress(form), form).toBe('refused');
    }
    // The sample covers both verdicts (about an eighth of IPv4 is special-purpose).
    expect(refused).toBeGreaterThan(50);
    expect(refused).toBeLessThan(1000);
  });

  it('refuses what is not an address', () => {
    for (const value of ['', 'localhost', 'example.com', '1.2.3.4.5', '::ffff:1.2.3.256', '[::1']) {
      expect(classifyAddress(value), value).toBe('refused');
    }
  });
});

describe('callbacks connect only to the addresses they were allowed to (socket hook)', () => {
  /** A fake DNS: host name -> the addresses it resolves to on each call in turn. */
  const dns: Record<string, string[][]> = {};
  const resolved: string[] = [];
  const hook = installSocketHook();
  afterAll(() => hook.uninstall());
  const ctx = useStack({
    callbackBackoffSeconds: 60,
    // As in AWS: no loopback callbacks, and host names resolved by our fake DNS.
    workerDeps: (deps) => ({
      ...deps,
      allowLocalCallbacks: false,
      callbacks: new HttpCallbackSender({
        allowLoopback: false,
        resolve: async (hostname) => {
          resolved.push(hostname);
          const answers = dns[hostname];
          if (!answers?.length) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
          const answer = answers.length > 1 ? answers.shift()! : answers[0];
          return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
        },
      }),
    }),
  });
  beforeAll(async () => {
    await ctx.stack.rotateWebhookSecret('acme');
  });

  /** Connection attempts to anything but loopback (the emulators are on loopback) since `index`. */
  const outsideSince = (index: number) => hook.attempts.slice(index).filter((a) => !/^127\./.test(a) && a !== '::1');

  /** Runs a one-item job with this callback and returns its first delivery attempt. */
  const firstAttempt = async (callbackUrl: string) => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(1, 0, 'CBSEC'), callbackUrl });
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    return waitFor(async () => {
      const { json } = await ctx.api.get(`/v1/jobs/${created.json.id}/notifications`);
      return json.notifications[0]?.attempts[0];
    }, `a callback attempt to ${callbackUrl}`);
  };

  it('refuses a host name that resolves to an internal address, without connecting', async () => {
    dns['internal.example'] = [['10.1.2.3']];
    dns['mixed.example'] = [['93.184.216.34', '::ffff:a9fe:a9fe']];
    for (const host of ['internal.example', 'mixed.example']) {
      const before = hook.attempts.length;
      const attempt = await firstAttempt(`https://${host}/hooks`);
      expect(attempt.error).toBe('refused: not a public address');
      expect(attempt.status).toBeUndefined();
      expect(outsideSince(before)).toEqual([]);
    }
  });

  it('refuses IP literals the URL parser rewrites, without connecting', async () => {
    const before = hook.attempts.length;
    // Loopback passes the local API (it allows local callbacks); the deliverer, like AWS, does not.
    for (const url of ['https://[::ffff:127.0.0.1]/x', 'https://[0:0:0:0:0:FFFF:7F00:0001]:8443/x', 'https://0x7f.1/x']) {
      expect((await firstAttempt(url)).error, url).toBe('refused: not a public address');
    }
    expect(outsideSince(before)).toEqual([]);
  });

  it('resolves once per attempt and connects to exactly that answer (no rebinding between check and connect)', async () => {
    // First answer public, every later one loopback: a check-then-fetch would connect to loopback.
    dns['rebind.example'] = [['93.184.216.34'], ['127.0.0.1']];
    const before = hook.attempts.length;
    const resolvedBefore = resolved.length;
    const attempt = await firstAttempt('https://rebind.example:9443/hooks');
    expect(resolved.slice(resolvedBefore)).toEqual(['rebind.example']);
    expect(outsideSince(before)).toEqual(['93.184.216.34']);
    // The hook refused the public address; the log says so generically, naming no port, address or error code.
    expect(attempt.error).toBe('could not connect');
    expect(JSON.stringify(attempt)).not.toMatch(/ECONN|9443|93\.184|hook/);
  });

  it('records a generic error for an unknown host too', async () => {
    const attempt = await firstAttempt('https://nowhere.example/hooks');
    expect(attempt.error).toBe('could not connect');
  });

  it('refuses an internal IP literal when the job is created', async () => {
    for (const url of ['https://10.0.0.5/hook', 'https://[::ffff:a9fe:a9fe]/hook', 'https://0x7f000002.1/hook', 'https://[fd00::1]/hook']) {
      const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(1), callbackUrl: url });
      if (url.includes('0x7f')) continue; // not an address (five parts): a host name, checked when it connects
      expect(created.status, url).toBe(400);
      expect(created.json.error).toEqual({ code: 'bad_request', message: 'callbackUrl: must be a public address' });
    }
  });

  it('never connected to anything but loopback', () => {
    expect(hook.outside()).toEqual(['93.184.216.34']);
  });
});

describe('callbacks on the local stack', () => {
  const ctx = useStack({ callbackBackoffSeconds: 60 });
  beforeAll(async () => {
    await ctx.stack.rotateWebhookSecret('acme');
  });

  it('still reach a receiver on loopback (allowLocalCallbacks)', async () => {
    const receiver = await startReceiver();
    try {
      await ctx.api.post('/v1/jobs', { type: 'import', items: products(1, 0, 'LOC'), callbackUrl: receiver.url });
      await waitFor(async () => (receiver.accepted().length ? true : undefined), 'a delivered callback');
      expect(receiver.accepted()).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
