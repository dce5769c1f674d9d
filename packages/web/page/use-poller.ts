import { useLayoutEffect, useRef } from 'hono/jsx/dom';
import { Poller } from './poller';

/**
 * Polls while the component is mounted: `tick` answers how long to wait
 * before the next run (see Poller). The latest `tick` and `onError` are used,
 * so they may close over props and state. Returns the poller, for `now()`.
 *
 * A layout effect: it runs as soon as the component is in the page, so the
 * poller is stopped by its cleanup even if the component goes at once (an
 * effect waits for the next animation frame, and would start a poller for
 * a component that has already gone).
 */
export function usePoller(tick: () => Promise<number>, onError: (error: unknown) => void) {
  const latest = useRef({ tick, onError });
  latest.current = { tick, onError };
  const poller = useRef<Poller | null>(null);
  useLayoutEffect(() => {
    const current = new Poller(
      () => latest.current.tick(),
      (error) => latest.current.onError(error),
    );
    poller.current = current;
    current.start();
    return () => current.stop();
  }, []);
  return poller;
}
