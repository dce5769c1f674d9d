import { ApiError } from '@merchantops/client/client';
import { createPortal, useLayoutEffect, useMemo, useState } from 'hono/jsx/dom';
import type { PageContext } from './context';
import { JobDetail } from './job-detail';
import { JobsList } from './jobs-list';
import { routeOf } from './route';
import { clientFor, forgetKey, storedKey, storeKey } from './session';
import { SignIn } from './sign-in';

const signedOutMessage = 'Your API key was not accepted any more. Sign in again.';

/**
 * The Jobs page: sign in with an API key, then a live list of the tenant's
 * jobs (#/?type=&status=) and a job's details (#/jobs/<id>). `nav` is the
 * header's navigation, where the sign-out button goes.
 */
export function App({ nav }: { nav: HTMLElement }) {
  const [key, setKey] = useState(storedKey);
  const [signInMessage, setSignInMessage] = useState('');
  const [hash, setHash] = useState(location.hash);
  const [connection, setConnection] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  useLayoutEffect(() => {
    const onHashChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  function leave(message = '') {
    forgetKey();
    setConnection(null);
    setSignInMessage(message);
    setKey(null);
  }

  const page = useMemo<PageContext | null>(
    () =>
      key
        ? {
            client: clientFor(key),
            announce: setAnnouncement,
            reportError(error) {
              if (error instanceof ApiError && error.status === 401) {
                leave(signedOutMessage);
                return;
              }
              setConnection(
                error instanceof ApiError && error.status === 0
                  ? 'Cannot reach the API. Retrying…'
                  : `Something went wrong: ${error instanceof Error ? error.message : String(error)}. Retrying…`,
              );
            },
            connected: () => setConnection(null),
            navigate(next) {
              location.hash = next;
            },
          }
        : null,
    [key],
  );

  function signedIn(newKey: string) {
    storeKey(newKey);
    setSignInMessage('');
    setKey(newKey);
  }

  const route = routeOf(hash);
  return (
    <>
      {page
        ? createPortal(
            <button id="sign-out" type="button" class="button button--quiet" onClick={() => leave()}>
              Sign out
            </button>,
            nav,
          )
        : null}
      <p id="connection" class="notice notice--warning" role="status" hidden={connection === null}>
        {connection ?? ''}
      </p>
      {!page ? (
        <SignIn message={signInMessage} onSignedIn={signedIn} />
      ) : route.view === 'job' ? (
        <JobDetail key={route.id} page={page} id={route.id} />
      ) : (
        <JobsList key={hash} page={page} filters={route.filters} />
      )}
      <div id="announcer" class="visually-hidden" aria-live="polite">
        {announcement}
      </div>
    </>
  );
}
