import type { CallbackSender } from '../../notifications/callback-sender';

/** Records every callback POST and answers with `status` (200 unless a test sets another). */
export class MemoryCallbackSender implements CallbackSender {
  readonly sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  status = 200;

  async post(url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<number> {
    this.sent.push({ url, headers: request.headers, body: request.body });
    return this.status;
  }
}
