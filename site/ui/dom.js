// @ts-check
/**
 * The widgets' DOM helpers: find an element that must exist, typed; name a template's parts; start
 * heavy work only when a part comes near the screen.
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

/**
 * Call ``start`` once, the first time ``element`` comes within ``margin`` of the viewport: heavy work
 * (a charting library, a first drawing) waits until the reader is about to see it.
 * @param {Element} element
 * @param {string} margin an IntersectionObserver rootMargin, e.g. '200px'
 * @param {() => void} start
 * @returns {() => void} stops watching (a widget's destroy), if it has not started yet
 */
export function whenNear(element, margin, start) {
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    start();
  }, { rootMargin: margin });
  observer.observe(element);
  return () => observer.disconnect();
}
