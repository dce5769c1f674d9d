import { createClient, type ApiClient } from '@merchantops/client/client';

/** The API key lives in sessionStorage: this tab only, gone when it closes; never in localStorage or a cookie. */
const STORAGE_KEY = 'merchantops.apiKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string) {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** A client of the API that served this page (same origin). */
export function clientFor(key: string): ApiClient {
  return createClient({ baseUrl: '', apiKey: key });
}
