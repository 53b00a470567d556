// @ts-check
/**
 * Load TF.js and its WASM backend once per page life, from this site only.
 *
 * The UMD builds are injected as classic scripts on first use, so pages without
 * a widget never download TF.js, and Material's instant navigation (which keeps
 * the page alive) reuses the already-loaded library.
 */
import { loadScript } from './load-script.js';

/** @type {Promise<typeof import('@tensorflow/tfjs')> | null} */
let loading = null;

/**
 * @param {{tfjs: string, tfjsWasm: string, wasmDir: string}} vendor URLs of tf.min.js, the
 *   wasm backend's script and the folder holding its .wasm files
 * @returns {Promise<typeof import('@tensorflow/tfjs')>} the global `tf` namespace
 */
export function loadTf(vendor) {
  loading ??= (async () => {
    await loadScript(vendor.tfjs);
    await loadScript(vendor.tfjsWasm);
    const tf = /** @type {any} */ (window).tf;
    tf.wasm.setWasmPaths(vendor.wasmDir);
    return tf;
  })();
  return loading;
}
