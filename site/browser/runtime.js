// @ts-check
/**
 * TF.js with its backend chosen, shared by every widget of the page life.
 *
 * Two engines: the **lean** bundle (site/build/lean-tfjs.mjs: the shipped graph
 * models' kernels on WASM, plain JS as a lazy fallback), which every page with a
 * widget starts; and the **full** library (tf.min.js), loaded only when a reader
 * asks for what needs it: WebGL, or a model they trained or fine-tuned here.
 */
import { BACKENDS, backendPlan } from '../core/backend-plan.js';
import { loadFullTf, loadLeanTf } from './tf-loader.js';
import { probeWebGL } from './webgl-probe.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {{name: string, reason: string, renderer: string}} Backend
 * @typedef {{tf: TF, backend: Backend, full: () => Promise<TF>}} Runtime
 *   tf: the engine the shipped models run on; full: the full library on the same backend
 * @typedef {Record<string, string>} Vendor URLs of the published npm files (assets/js/vendor.js)
 */

/** @type {Promise<Runtime> | null} */
let starting = null;
const CHANGED = 'dl:backend-changed';

/** @param {() => void} listener called when the runtime had to change backend (WebGL lost its context) */
export function onBackendChanged(listener) {
  document.addEventListener(CHANGED, listener);
  return () => document.removeEventListener(CHANGED, listener);
}

/**
 * WebGL can lose its context (a driver reset, too many pages on the GPU): then move to WASM
 * on the same engine, and tell the widgets, which reload their models there.
 * @param {TF} tf
 * @param {Backend} backend changed in place
 */
function watchWebGL(tf, backend) {
  const gl = /** @type {any} */ (tf.backend()).gpgpu?.gl;
  gl?.canvas?.addEventListener('webglcontextlost', async () => {
    for (const name of ['wasm', 'cpu']) {
      if (await trySet(tf, name)) {
        Object.assign(backend, { name, reason: `WebGL lost its context; switched to ${name === 'wasm' ? 'WASM' : 'plain JS'}` });
        document.dispatchEvent(new Event(CHANGED));
        return;
      }
    }
  }, { once: true });
}

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
 * Start the engines of the plan, in order, until one backend starts.
 * @param {Vendor} vendor
 * @returns {Promise<Runtime>}
 */
export function startRuntime(vendor) {
  starting ??= (async () => {
    const webgl = probeWebGL();
    /** @type {Promise<TF> | null} */
    let full = null;
    const loadFull = () => (full ??= loadFullTf(vendor));
    for (const { name, reason, full: needsFull } of backendPlan({ forced: forcedBackend(), webgl })) {
      const tf = needsFull ? await loadFull() : await loadLeanTf(vendor);
      if (await trySet(tf, name)) {
        const backend = { name, reason, renderer: webgl.renderer };
        if (name === 'webgl') watchWebGL(tf, backend);
        return {
          tf,
          backend,
          full: async () => {
            const library = await loadFull();
            // One engine, shared: the full library's kernels replaced the lean ones in its
            // registry, and only setBackend sets them up (on the backend already running).
            await trySet(library, name);
            return library;
          },
        };
      }
    }
    throw new Error('no TF.js backend could start');
  })();
  // A start that failed (a file missing, say) may be retried once the file is back.
  starting.catch(() => { starting = null; });
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
