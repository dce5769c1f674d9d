import net from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

/** Loopback in any form the socket layer hands over. */
const isLoopback = (address: string) => /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address);

/**
 * Hooks every TCP connection this process makes (net.Socket#connect): records
 * the address each socket is about to connect to (an IP given directly, or
 * what the socket's lookup hands it), and refuses anything that is not
 * loopback with ECONNREFUSED, so a test can never reach another machine.
 */
export function installSocketHook() {
  const attempts: string[] = [];
  const original = net.Socket.prototype.connect;
  const refusal = (address: string) => Object.assign(new Error(`socket hook refused ${address}`), { code: 'ECONNREFUSED' });

  net.Socket.prototype.connect = function (this: net.Socket, ...args: any[]) {
    const options = typeof args[0] === 'object' && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : undefined;
    if (!options || options.path) return (original as any).apply(this, args);
    const host: string = options.host ?? 'localhost';
    if (isIP(host)) {
      attempts.push(host);
      if (!isLoopback(host)) {
        process.nextTick(() => this.destroy(refusal(host)));
        return this;
      }
      return (original as any).apply(this, args);
    }
    const lookup = options.lookup ?? dnsLookup;
    options.lookup = (hostname: string, lookupOptions: any, callback: any) =>
      lookup(hostname, lookupOptions, (error: Error | null, address: any, family?: number) => {
        if (error) return callback(error);
        const list: string[] = Array.isArray(address) ? address.map((a: { address: string }) => a.address) : [address];
        attempts.push(...list);
        const outside = list.find((a) => !isLoopback(a));
        if (outside) return callback(refusal(outside));
        callback(null, address, family);
      });
    return (original as any).apply(this, args);
  } as typeof original;

  return {
    attempts,
    /** Attempts to anything but loopback. */
    outside: () => attempts.filter((a) => !isLoopback(a)),
    uninstall: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
