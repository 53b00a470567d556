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
 * A widget's parts by their ``data-role``, e.g. ``{pad: <canvas>, clear: <button>}``.
 * @param {ParentNode} root
 * @returns {Record<string, any>}
 */
export function roles(root) {
  return Object.fromEntries([...root.querySelectorAll('[data-role]')].map((n) => [/** @type {HTMLElement} */ (n).dataset.role, n]));
}
