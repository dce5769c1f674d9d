import { ApiError } from '@merchantops/client/client';
import { useState } from 'hono/jsx/dom';
import type { PageContext } from './context';
import { useMounted } from './use-mounted';

export interface ActionStatus {
  text: string;
  error: boolean;
}

/** What `run` gets: a name for its button (disabled while it runs), words to show meanwhile, and the work. */
export type RunAction = (name: string, working: string, action: () => Promise<string | void>) => Promise<void>;

/**
 * Runs the actions of a job's page one at a time: says how each went
 * (`status`), and calls `done` afterwards to refresh at once.
 */
export function useAction(page: PageContext, done: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<ActionStatus>({ text: '', error: false });
  const mounted = useMounted();

  const run: RunAction = async (name, working, action) => {
    setBusy(name);
    setStatus({ text: working, error: false });
    try {
      const said = (await action()) ?? '';
      if (mounted.current) setStatus({ text: said, error: false });
      done();
    } catch (error) {
      if (mounted.current) setStatus({ text: error instanceof ApiError ? error.message : String(error), error: true });
      if (error instanceof ApiError && error.status === 401) page.reportError(error);
    } finally {
      if (mounted.current) setBusy(null);
    }
  };
  return { busy, status, run };
}
