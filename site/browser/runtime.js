// @ts-check
/**
 * TF.js with its backend chosen, shared by every widget of the page life.
 */
import { BACKENDS, backendPlan } from '../core/backend-plan.js';
import { loadTf } from './tf-loader.js';
import { probeWebGL } from './webgl-probe.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {{name: string, reason: string, renderer: string}} Backend
 * @typedef {{tf: TF, backend: Backend}} Runtime
 */

/** @type {Promise<Runtime> | null} */
let starting = null;

/** The backend forced with ?backend=, or null. */
export function forcedBackend() {
  const forced = new URLSearchParams(location.search).get('backend');
  return BACKENDS.includes(/** @type {any} */ (forced)) ? forced : null;
}

/**
 * @param {TF} tf
 * @param {string} name
 */
async function trySet(tf, name) {
  try {
    // setBackend resolves false (it does not throw) when a backend cannot start,
    // and getBackend then reports whichever backend did: always read it back.
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Activate the first backend of the plan that starts.
 * @param {TF} tf
 * @returns {Promise<Backend>}
 */
export async function chooseBackend(tf) {
  const webgl = probeWebGL();
  for (const { name, reason } of backendPlan({ forced: forcedBackend(), webgl })) {
    if (await trySet(tf, name)) return { name, reason, renderer: webgl.renderer };
  }
  throw new Error('no TF.js backend could start');
}

/**
 * @param {{tfjs: string, tfjsWasm: string, wasmDir: string}} vendor URLs of the vendored TF.js files
 * @returns {Promise<Runtime>}
 */
export function startRuntime(vendor) {
  starting ??= (async () => {
    const tf = await loadTf(vendor);
    return { tf, backend: await chooseBackend(tf) };
  })();
  return starting;
}

/**
 * Reload the page with another backend forced ('' = automatic choice).
 * @param {string} name
 */
export function switchBackend(name) {
  const url = new URL(location.href);
  if (name) url.searchParams.set('backend', name);
  else url.searchParams.delete('backend');
  location.assign(url);
}
