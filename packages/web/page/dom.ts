/** A few DOM helpers, so the page needs no framework. */

export type Child = Node | string | number | null | undefined | false | Child[];
type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** `h('a', {href: '#/', class: 'back'}, 'All jobs')`; `on<event>` attributes add listeners; false/null attributes are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]) {
  for (const child of children) {
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else if (child !== null && child !== undefined && child !== false) parent.appendChild(document.createTextNode(String(child)));
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]) {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Makes `current` look like `next` cell by cell, touching only cells that
 * changed, so focus and text selection survive a live update.
 */
export function patchRow(current: HTMLTableRowElement, next: HTMLTableRowElement) {
  for (const name of ['class', 'data-status']) {
    const value = next.getAttribute(name);
    if (value === null) current.removeAttribute(name);
    else if (current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  const fresh = Array.from(next.cells);
  if (fresh.length !== current.cells.length) {
    current.replaceChildren(...fresh);
    return;
  }
  fresh.forEach((cell, i) => {
    const old = current.cells[i];
    if (old.innerHTML !== cell.innerHTML) old.replaceChildren(...Array.from(cell.childNodes));
    for (const { name, value } of Array.from(cell.attributes)) if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  });
}
