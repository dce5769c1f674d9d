import { ApiError } from '@merchantops/client/client';
import { useLayoutEffect, useRef, useState } from 'hono/jsx/dom';
import { clientFor } from './session';
import { useMounted } from './use-mounted';

/** Asks for an API key and proves it with one cheap request before anything is shown. */
export function SignIn({ message, onSignedIn }: { message: string; onSignedIn: (key: string) => void }) {
  const [error, setError] = useState(message);
  const [checking, setChecking] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const mounted = useMounted();
  useLayoutEffect(() => {
    input.current?.focus();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const key = input.current?.value.trim() ?? '';
    if (!key) {
      setError('Enter an API key.');
      return;
    }
    setChecking(true);
    setError('');
    try {
      await clientFor(key).listJobs({ limit: 1 });
      onSignedIn(key);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'That API key was not accepted.'
          : `Cannot sign in: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    } finally {
      if (mounted.current) setChecking(false);
    }
  }

  return (
    <section id="sign-in" class="card sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <form id="sign-in-form" novalidate onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="apiKey"
          type="password"
          autocomplete="off"
          // the attribute's "false" (a bare attribute would mean true)
          spellcheck={'false' as unknown as boolean}
          placeholder="mo_…"
          required
          aria-describedby="api-key-hint sign-in-error"
          ref={input}
        />
        <p id="api-key-hint" class="hint">
          The page shows the jobs of this key's tenant. The key stays in this browser tab only (session storage) and is gone when you close it.
        </p>
        <p id="sign-in-error" class="error" role="alert">
          {error}
        </p>
        <button type="submit" class="button button--primary" disabled={checking}>
          Sign in
        </button>
      </form>
    </section>
  );
}
