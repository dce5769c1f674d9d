import { isAllowedAddress, parseAddress } from './private-address';

/**
 * Callback URLs: https only; plain http only to this machine, and only where
 * the runtime allows it (the local stack). Credentials in the URL are refused,
 * and so is a host written as an IP address that is not public (loopback is
 * allowed locally). Host names are checked where the callback connects
 * (guarded-post.ts), because what they resolve to can change.
 */
export function callbackUrlProblem(value: string, allowLocalHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (parseAddress(url.hostname) && !isAllowedAddress(url.hostname, allowLocalHttp)) return 'must be a public address';
  if (url.protocol === 'https:') return undefined;
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && local && allowLocalHttp) return undefined;
  return allowLocalHttp ? 'must be https (or http://localhost here)' : 'must be an https URL';
}
