import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isAllowedAddress, parseAddress } from '@merchantops/core/notifications/private-address';
import { RefusedAddressError, type CallbackSender } from '@merchantops/core/notifications/callback-sender';

/** Resolves a host name to every address it has (like dns.lookup with all: true). */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const resolveWithDns: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface GuardedPostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Loopback is allowed too (the local stack only). */
  allowLoopback: boolean;
  resolve?: ResolveHost;
}

/** The CallbackSender of the deployed (and local) stack: guardedPost with its settings. */
export class HttpCallbackSender implements CallbackSender {
  constructor(private readonly settings: { allowLoopback: boolean; resolve?: ResolveHost }) {}

  post(url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<number> {
    return guardedPost(new URL(url), { ...request, ...this.settings });
  }
}

/**
 * POSTs `body` and returns the answer's status, without following redirects.
 * The address check happens where the connection is made: an IP literal is
 * checked before connecting, and a host name is resolved once, inside the
 * socket's own `lookup`, where every address it resolves to must pass and
 * the socket then connects to one of exactly those addresses. A DNS answer
 * that changes between a check and the connection (rebinding) therefore
 * cannot slip through. Throws RefusedAddressError when refused.
 */
export function guardedPost(url: URL, options: GuardedPostOptions): Promise<number> {
  const resolve = options.resolve ?? resolveWithDns;
  const literal = parseAddress(url.hostname);
  if (literal && !isAllowedAddress(url.hostname, options.allowLoopback)) return Promise.reject(new RefusedAddressError());

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname)
      .then((found) => {
        if (!found.length || found.some((a) => !isAllowedAddress(a.address, options.allowLoopback))) throw new RefusedAddressError();
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? found.filter((a) => a.family === lookupOptions.family) : found;
        if (lookupOptions.all) (callback as (e: null, a: typeof found) => void)(null, wanted);
        else if (wanted.length) callback(null, wanted[0].address, wanted[0].family);
        else throw new RefusedAddressError();
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };

  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolvePost, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
        lookup,
        // No pooled sockets: each attempt resolves and checks afresh.
        agent: false,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        resolvePost(response.statusCode ?? 0);
        response.resume();
        response.on('error', () => {});
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
