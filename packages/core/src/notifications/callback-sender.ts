/**
 * The port that sends a completion callback over HTTP (its adapter,
 * @merchantops/aws/http-callback-sender, decides on the address it actually
 * connects to). The domain never calls fetch or DNS itself.
 */
export interface CallbackSender {
  /**
   * POSTs `body` and resolves with the answer's status, without following
   * redirects. Rejects with RefusedAddressError when the host is, or
   * resolves to, an address a callback may not reach; with an AbortError or
   * TimeoutError when no answer came in `timeoutMs`; with any other error
   * when it could not connect.
   */
  post(url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<number>;
}

/** The attempt was not sent: the host is, or resolves to, an address a callback may not reach. */
export class RefusedAddressError extends Error {
  constructor() {
    super('refused: not a public address');
    this.name = 'RefusedAddressError';
  }
}
