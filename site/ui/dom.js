// @ts-check
/**
 * The widgets' DOM helpers: find an element that must exist, typed; name a template's parts.
 */

/**
 * Find an element that must exist, typed.
 * @template {Element} T
 * @param {ParentNode} root
 * @param {string} selector
 * @param {abstract new (...args: any[]) => T} type the element's class, e.g. HTMLCanvasElement
 * @returns {T}
 */
export function find(root, selector, type) {
  const element = root.querySelector(selector);
  if (!(element instanceof type)) throw new Error(`no ${type.name} matches ${selector}`);
  return element;
}

/**
 * A widget's parts by their ``data-role``, e.g. ``{pad: <canvas>, clear: <button>}`` (where roles repeat,
 * the last element). The caller names each part's element type with a typedef of its template's
 * roles, e.g. ``{pad: HTMLCanvasElement, clear: HTMLButtonElement}``: the template is the caller's, so
 * the types are the caller's word, not checked here.
 * @template {Record<string, HTMLElement>} T the parts, by role
 * @param {ParentNode} root
 * @returns {T}
 */
export function roles(root) {
  const parts = Object.fromEntries([...root.querySelectorAll('[data-role]')].map((n) => [/** @type {HTMLElement} */ (n).dataset.role, n]));
  return /** @type {T} */ (parts);
}
