import { ApiError } from '@merchantops/client/client';
import { byId } from './dom';
import type { PageContext, View } from './context';
import { jobDetailView } from './job-detail';
import { filtersFromQuery, jobsListView } from './jobs-list';
import { clientFor, forgetKey, storedKey, storeKey } from './session';

/**
 * The Jobs page: sign in with an API key, then a live list of the tenant's
 * jobs (#/?type=&status=) and a job's details (#/jobs/<id>).
 */

const signIn = byId('sign-in');
const signInForm = byId<HTMLFormElement>('sign-in-form');
const signInError = byId('sign-in-error');
const keyInput = byId<HTMLInputElement>('api-key');
const signOut = byId<HTMLButtonElement>('sign-out');
const connection = byId('connection');
const announcer = byId('announcer');

let view: View | undefined;
let context: PageContext | undefined;

function contextFor(key: string): PageContext {
  return {
    client: clientFor(key),
    announce(message) {
      announcer.textContent = message;
    },
    reportError(error) {
      if (error instanceof ApiError && error.status === 401) {
        leave('Your API key was not accepted any more. Sign in again.');
        return;
      }
      connection.hidden = false;
      connection.textContent =
        error instanceof ApiError && error.status === 0
          ? 'Cannot reach the API. Retrying…'
          : `Something went wrong: ${error instanceof Error ? error.message : String(error)}. Retrying…`;
    },
    connected() {
      connection.hidden = true;
    },
    navigate(hash) {
      location.hash = hash;
    },
  };
}

function route() {
  view?.stop();
  view = undefined;
  const key = storedKey();
  if (!key) {
    context = undefined;
    showSignIn();
    return;
  }
  context ??= contextFor(key);
  signIn.hidden = true;
  signOut.hidden = false;
  const hash = location.hash.replace(/^#/, '') || '/';
  const detail = /^\/jobs\/([0-9a-fA-F-]{36})$/.exec(hash);
  view = detail
    ? jobDetailView(context, detail[1].toLowerCase())
    : jobsListView(context, filtersFromQuery(new URLSearchParams(hash.split('?')[1] ?? '')));
  document.title = `${view.title} · MerchantOps`;
  // Tell assistive technology where it is now: focus the new view's heading.
  const heading = document.querySelector<HTMLElement>(detail ? '#job-title' : '#jobs-title');
  if (heading && document.activeElement !== keyInput) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

function showSignIn(message = '') {
  signIn.hidden = false;
  signOut.hidden = true;
  connection.hidden = true;
  signInError.textContent = message;
  keyInput.focus();
}

function leave(message = '') {
  forgetKey();
  view?.stop();
  view = undefined;
  context = undefined;
  showSignIn(message);
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) {
    signInError.textContent = 'Enter an API key.';
    return;
  }
  const button = signInForm.querySelector('button')!;
  button.disabled = true;
  signInError.textContent = '';
  try {
    // One cheap request proves the key before anything is shown.
    await clientFor(key).listJobs({ limit: 1 });
    storeKey(key);
    keyInput.value = '';
    route();
  } catch (error) {
    signInError.textContent =
      error instanceof ApiError && error.status === 401
        ? 'That API key was not accepted.'
        : `Cannot sign in: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    button.disabled = false;
  }
});

signOut.addEventListener('click', () => leave());
window.addEventListener('hashchange', route);
route();
