/**
 * Load TF.js and its WASM backend once per page life, from this site only.
 *
 * The UMD builds are injected as classic scripts on first use, so pages without
 * a widget never download TF.js, and Material's instant navigation (which keeps
 * the page alive) reuses the already-loaded library.
 */

import { loadScript } from './load-script.js';

let loading = null;

/**
 * @param {URL} vendorUrl folder holding tf.min.js, the wasm backend and its .wasm files
 * @returns {Promise<object>} the global `tf` namespace
 */
export function loadTf(vendorUrl) {
  loading ??= (async () => {
    await loadScript(new URL('tf.min.js', vendorUrl).href);
    await loadScript(new URL('tf-backend-wasm.min.js', vendorUrl).href);
    const tf = window.tf;
    tf.wasm.setWasmPaths(vendorUrl.href);
    return tf;
  })();
  return loading;
}
