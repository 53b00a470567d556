// @ts-check
/**
 * TF.js with its backend chosen, once per engine (a module worker, or the page where the browser
 * has none). No DOM: it runs in a worker's global scope as on a page.
 *
 * Two builds of one engine: the **lean** bundle (site/build/lean-tfjs.mjs: the shipped graph
 * models' kernels on WASM, plain JS as a lazy fallback), which every model widget starts; and the
 * **full** library (tf.min.js and its WASM backend), loaded only when something needs it: WebGL,
 * training, a model the reader trained or fine-tuned, the teaching figures' own ops. Its WebGPU
 * backend (a third of a megabyte) is loaded later still, only where the browser offers WebGPU and
 * something asks for it: training on a hardware adapter, or ?backend=webgpu.
 */
import { BACKENDS, backendPlan } from '../core/backend-plan.js';
import { probeWebGL } from './webgl-probe.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {import('../core/engine-protocol.js').Backend} Backend
 * @typedef {Record<string, string>} Vendor URLs of the published npm files (assets/js/vendor.js)
 */

/**
 * The probe, on a thread of its own: creating a WebGL context can take half a second where WebGL
 * is emulated in software (SwiftShader), and the backend does not wait for it (only the sentence
 * saying why it was chosen does). Where no worker can start, the probe runs here.
 * @returns {Promise<import('../core/backend-plan.js').WebGLProbe>}
 */
function probeOffThread() {
  if (typeof Worker === 'undefined') return Promise.resolve(probeWebGL());
  return new Promise((resolve) => {
    try {
      const worker = new Worker(new URL('../workers/webgl-probe-worker.js', import.meta.url), { type: 'module' });
      const done = (/** @type {import('../core/backend-plan.js').WebGLProbe} */ result) => {
        worker.terminate();
        resolve(result);
      };
      worker.onmessage = (event) => done(event.data);
      worker.onerror = () => done(probeWebGL());
    } catch {
      resolve(probeWebGL());
    }
  });
}

/**
 * @param {TF} tf
 * @param {string} name
 */
export async function trySet(tf, name) {
  try {
    // setBackend resolves false (it does not throw) when a backend cannot start,
    // and getBackend then reports whichever backend did: always read it back.
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

export class Runtime {
  /**
   * @param {Vendor} vendor
   * @param {(backend: Backend) => void} onChanged called when the backend had to change (WebGL lost its context)
   */
  constructor(vendor, onChanged) {
    this.vendor = vendor;
    this.onChanged = onChanged;
    /** @type {Promise<TF> | null} */
    this.leanTf = null;
    /** @type {Promise<TF> | null} */
    this.fullTf = null;
    /** @type {TF | null} the engine the shipped models run on */
    this.tf = null;
    /** @type {Backend | null} */
    this.backend = null;
    /** @type {Promise<Backend> | null} */
    this.starting = null;
    /** @type {Promise<import('../core/backend-plan.js').WebGLProbe> | null} */
    this.probing = null;
    /** @type {Promise<void> | null} settles once the backend's reason includes the probe's answer */
    this.described = null;
    /** @type {number} the running backend's place in the plan */
    this.choice = 0;
    /** @type {string | null} the backend the page forced with ?backend=, if any */
    this.forced = null;
    /** @type {Promise<import('../core/backend-plan.js').WebGPUProbe> | null} */
    this.webgpuProbing = null;
    /** @type {Promise<boolean> | null} the WebGPU backend is registered with the full library */
    this.webgpuLoading = null;
  }

  /** What WebGPU this scope offers (asked once; its code loads only then: a digit's first answer never needs it). */
  probeWebGPU() {
    this.webgpuProbing ??= import('./webgpu.js').then(({ probeWebGPU }) => probeWebGPU());
    return this.webgpuProbing;
  }

  /**
   * Register the WebGPU backend with the full library, where the browser has an adapter.
   * @returns {Promise<boolean>} false: no WebGPU here, or its backend's file could not load
   */
  webgpu() {
    this.webgpuLoading ??= import('./webgpu.js').then(({ loadWebGPU }) => loadWebGPU(this)).catch(() => false);
    return this.webgpuLoading;
  }

  /** The lean bundle (an ES module). */
  lean() {
    this.leanTf ??= import(this.vendor.lean).then((module) => /** @type {TF} */ (/** @type {unknown} */ (module)));
    return this.leanTf;
  }

  /**
   * The full library on the backend already running (one engine and kernel registry, shared:
   * TF.js keeps them on globalThis, and only setBackend sets the full library's kernels up).
   * @returns {Promise<TF>}
   */
  full() {
    this.fullTf ??= (async () => {
      // tf.min.js bundles regenerator-runtime, which assigns this global and, where that throws
      // (strict mode), falls back to Function(): a page's policy forbids eval, and the whole
      // bundle would fail. An existing property makes the plain assignment work.
      const global = /** @type {any} */ (globalThis);
      if (!('regeneratorRuntime' in global)) global.regeneratorRuntime = undefined;
      // The full library's kernels replace the lean ones, each with a warning: production mode keeps quiet.
      if (this.leanTf) (await this.leanTf).env().set('PROD', true);
      // The UMD builds, imported as modules, attach `tf` (and `tf.wasm`) to the global scope.
      await import(this.vendor.tfjs);
      await import(this.vendor.tfjsWasm);
      const tf = /** @type {TF} */ (global.tf);
      /** @type {any} */ (tf).wasm.setWasmPaths(this.vendor.wasmDir);
      return tf;
    })();
    this.fullTf.catch(() => { this.fullTf = null; });
    return this.fullTf.then(async (tf) => {
      if (this.backend) await trySet(tf, this.backend.name);
      return tf;
    });
  }

  /**
   * Start the engines of the plan, in order, until one backend starts.
   * @param {string | null} forced 'webgl' | 'webgpu' | 'wasm' | 'cpu' from the page's ?backend=, or null
   * @returns {Promise<Backend>}
   */
  start(forced) {
    // The page's <head> passes ?backend= as written (engine-boot.js): a name no backend has is no choice.
    if (!BACKENDS.some((name) => name === forced)) forced = null;
    this.starting ??= (async () => {
      this.forced = forced;
      // The plan's order does not depend on WebGL's probe, only its reasons do (a node test holds
      // it to that): the backends start at once, and the probe (half a second of CPU and more where
      // WebGL is emulated) waits until describe() asks for the full sentence.
      const order = backendPlan({ forced, webgl: null });
      for (const [i, { name, full: needsFull }] of order.entries()) {
        if (name === 'webgpu' && !(await this.webgpu())) continue;
        const tf = needsFull ? await this.full() : await this.lean();
        if (await trySet(tf, name)) {
          this.tf = tf;
          this.backend = { name, reason: order[i].reason, renderer: '' };
          this.choice = i;
          if (name === 'webgl') this.watchWebGL(tf);
          return this.backend;
        }
      }
      throw new Error('no TF.js backend could start');
    })();
    // A start that failed (a file missing, say) may be retried once the file is back.
    this.starting.catch(() => { this.starting = null; });
    return this.starting;
  }

  /**
   * The running backend with the whole reason for it, WebGL's probe included.
   * @param {string | null} forced as for start()
   * @returns {Promise<Backend>}
   */
  async describe(forced) {
    const { name } = await this.start(forced);
    this.described ??= this.probe().then((webgl) => {
      if (this.backend?.name === name) this.backend = { name, reason: backendPlan({ forced: this.forced, webgl })[this.choice].reason, renderer: webgl.renderer };
    });
    await this.described;
    return /** @type {Backend} */ (this.backend);
  }

  /** WebGL's probe, asked once: only describe() needs it. */
  probe() {
    this.probing ??= probeOffThread();
    return this.probing;
  }

  /** The WebGL context of the running backend, if any. @param {TF} tf */
  glOf(tf) {
    return /** @type {any} */ (tf.backend()).gpgpu?.gl ?? null;
  }

  /**
   * WebGL can lose its context (a driver reset, too many pages on the GPU): then move to WASM on
   * the same engine, and say so (the widgets reload their models there).
   * @param {TF} tf
   */
  watchWebGL(tf) {
    this.glOf(tf)?.canvas?.addEventListener('webglcontextlost', async () => {
      for (const name of ['wasm', 'cpu']) {
        if (await trySet(tf, name)) {
          this.backend = { ...(/** @type {Backend} */ (this.backend)), name, reason: `WebGL lost its context; switched to ${name === 'wasm' ? 'WASM' : 'plain JS'}` };
          this.onChanged(this.backend);
          return;
        }
      }
    }, { once: true });
  }
}
