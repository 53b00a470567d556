// @ts-check
/**
 * The one DOM helper of the widgets: find an element that must exist, typed.
 *
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
