import { render } from 'hono/jsx/dom';
import { App } from './app';

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

render(<App nav={byId('site-nav')} />, byId('app'));
