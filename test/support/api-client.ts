export type Fetch = (url: string, init: RequestInit) => Response | Promise<Response>;

/**
 * Minimal HTTP client for tests: JSON in, status + JSON out. Over the network
 * by default; the unit layer passes `app.request` as `fetcher`.
 */
export function apiClient(baseUrl: string, key?: string, fetcher: Fetch = fetch) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetcher(baseUrl + path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };
  return {
    baseUrl,
    headers: key ? { authorization: `Bearer ${key}` } : ({} as Record<string, string>),
    call,
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
  };
}

export type Api = ReturnType<typeof apiClient>;
