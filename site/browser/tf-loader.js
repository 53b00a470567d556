// @ts-check
/**
 * Load TF.js once per page life, from this site only: the lean bundle (an ES
 * module built at site build time) or the full library (the UMD builds from
 * npm, injected as classic scripts). Pages without a widget load neither, and
 * Material's instant navigation (which keeps the page alive) reuses them.
 */
import { loadScript } from './load-script.js';

/** @typedef {typeof import('@tensorflow/tfjs')} TF */

/** @type {Promise<TF> | null} */
let lean = null;
/** @type {Promise<TF> | null} */
let full = null;

/**
 * The lean bundle: the shipped graph models' kernels on WASM (its .wasm found beside it), plain JS lazily.
 * @param {Record<string, string>} vendor
 * @returns {Promise<TF>}
 */
export function loadLeanTf(vendor) {
  lean ??= import(vendor.lean).then((module) => /** @type {TF} */ (/** @type {unknown} */ (module)));
  return lean;
}

/**
 * The full library and its WASM backend (tf.min.js, tf-backend-wasm.min.js).
 * @param {Record<string, string>} vendor
 * @returns {Promise<TF>} the global `tf` namespace
 */
export function loadFullTf(vendor) {
  full ??= (async () => {
    // tf.min.js bundles regenerator-runtime, which assigns this global and, where that throws
    // (strict mode), falls back to Function(): the site's policy forbids eval, and the whole
    // bundle would fail. An existing property makes the plain assignment work.
    const global = /** @type {any} */ (globalThis);
    if (!('regeneratorRuntime' in global)) global.regeneratorRuntime = undefined;
    // Both bundles share one engine and one kernel registry (TF.js keeps them on globalThis):
    // the full library's kernels replace the lean ones, each with a warning; production mode
    // keeps the console quiet.
    if (lean) (await lean).env().set('PROD', true);
    await loadScript(vendor.tfjs);
    await loadScript(vendor.tfjsWasm);
    const tf = /** @type {any} */ (window).tf;
    tf.wasm.setWasmPaths(vendor.wasmDir);
    return tf;
  })();
  return full;
}
