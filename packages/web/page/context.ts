import type { ApiClient } from '@merchantops/client/client';

/** What a view gets from the page. */
export interface PageContext {
  client: ApiClient;
  /** Says something to screen readers (polite). */
  announce(message: string): void;
  /** A failed request: 401 signs out, a network error shows the connection notice. */
  reportError(error: unknown): void;
  /** A request went through: hides the connection notice. */
  connected(): void;
  navigate(hash: string): void;
}
