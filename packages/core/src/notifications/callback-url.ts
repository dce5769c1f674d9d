/**
 * Callback URLs: https only; plain http only to this machine, and only where
 * the runtime allows it (the local stack). Credentials in the URL are refused.
 */
export function callbackUrlProblem(value: string, allowLocalHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && local && allowLocalHttp) return undefined;
  return allowLocalHttp ? 'must be https (or http://localhost here)' : 'must be an https URL';
}
