/** How often a view with an active job polls. */
export const ACTIVE_POLL_MS = 1000;

/**
 * Runs `tick` again and again; `tick` answers how long to wait before the
 * next run. Stops while the tab is hidden (a background tab costs nothing)
 * and runs at once when it is shown again. Errors back off.
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly tick: () => Promise<number>,
    private readonly onError: (error: unknown, failures: number) => void,
  ) {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  start() {
    void this.run();
  }

  /** Runs now (after an action, say) instead of waiting for the next tick. */
  now() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    void this.run();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  private onVisibility = () => {
    if (document.visibilityState === 'visible') this.now();
    else clearTimeout(this.timer);
  };

  private async run() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    let wait: number;
    try {
      wait = await this.tick();
      this.failures = 0;
    } catch (error) {
      this.failures++;
      this.onError(error, this.failures);
      wait = Math.min(1000 * 2 ** this.failures, 15_000);
    } finally {
      this.running = false;
    }
    if (this.stopped || document.visibilityState === 'hidden') return;
    clearTimeout(this.timer);
    if (this.again) wait = 0;
    this.again = false;
    this.timer = setTimeout(() => void this.run(), wait);
  }
}
