// @ts-check
/**
 * Which backend trains, decided by measurement on the reader's machine: a pure function of what
 * the browser offers and of a few timed training steps, tested in node over recorded timings.
 *
 * Training is where a GPU pays most, but only a real one: an emulated GPU (SwiftShader, llvmpipe)
 * runs every shader on the CPU, measured many times slower than WASM here, so it is not even timed.
 * On a hardware GPU, WebGL (and WebGPU, where the browser offers a hardware adapter) is timed against
 * WASM on the same steps of the same model, and the fastest wins; WASM wins ties, since it needs no
 * GPU memory and leaves the page's predictions where they are.
 */
import { isSoftwareRenderer, softwareRendererName } from './backend-plan.js';

/**
 * @typedef {{name: string, reason: string, timings: Record<string, number | null>}} TrainingChoice
 *   timings: milliseconds per training step, null where a backend could not start
 */

// Another backend must beat WASM by this factor to be chosen: a few timed steps are noisy.
const MARGIN = 1.2;

/**
 * The backends worth timing, WASM first: each GPU API only on a hardware adapter.
 * @param {import('./backend-plan.js').WebGLProbe} webgl the engine's WebGL probe
 * @param {import('./backend-plan.js').WebGPUProbe} [webgpu] its WebGPU probe (none: not asked)
 * @returns {string[]}
 */
export function trainingCandidates(webgl, webgpu = { available: false, adapter: '' }) {
  const hardware = (/** @type {{available: boolean}} */ probe, /** @type {string} */ name) => probe.available && !isSoftwareRenderer(name);
  return ['wasm', ...(hardware(webgl, webgl.renderer) ? ['webgl'] : []), ...(hardware(webgpu, webgpu.adapter) ? ['webgpu'] : [])];
}

/**
 * The backend to train on, and the sentence that says why.
 * @param {import('./backend-plan.js').WebGLProbe} webgl the engine's probe
 * @param {Record<string, number | null>} timings ms per step of each candidate timed (null: it did not start)
 * @param {import('./backend-plan.js').WebGPUProbe} [webgpu] the engine's WebGPU probe, if it asked
 * @returns {TrainingChoice}
 */
export function chooseTrainingBackend(webgl, timings, webgpu) {
  const wasm = timings.wasm;
  const rivals = Object.entries(timings).filter(([name, t]) => name !== 'wasm' && t !== null);
  const gpuTimed = Object.keys(timings).some((name) => name !== 'wasm');
  if (!gpuTimed && !webgl.available) return { name: 'wasm', reason: 'WASM: this browser has no WebGL to train on', timings };
  if (!gpuTimed && isSoftwareRenderer(webgl.renderer)) {
    const alsoWebGPU = webgpu?.available ? `; so is WebGPU's adapter (${webgpu.adapter})` : '';
    return { name: 'wasm', reason: `WASM: WebGL is software-rendered here (${softwareRendererName(webgl.renderer)}), so it was not timed${alsoWebGPU}`, timings };
  }
  const ms = (/** @type {number} */ v) => `${v.toFixed(1)} ms`;
  if (wasm === null || wasm === undefined) {
    const [best] = rivals.sort((a, b) => /** @type {number} */ (a[1]) - /** @type {number} */ (b[1]));
    if (!best) return { name: 'cpu', reason: 'plain JS: neither WASM nor the GPU could start', timings };
    return { name: best[0], reason: `${best[0]}: WASM could not start (${ms(/** @type {number} */ (best[1]))} a step)`, timings };
  }
  const faster = rivals
    .filter(([, t]) => /** @type {number} */ (t) * MARGIN < wasm)
    .sort((a, b) => /** @type {number} */ (a[1]) - /** @type {number} */ (b[1]));
  const timed = Object.entries(timings).map(([name, t]) => `${name} ${t === null ? 'did not start' : ms(t)}`).join(', ');
  if (faster.length) return { name: faster[0][0], reason: `${faster[0][0]}: the fastest of the steps timed here (${timed} a step)`, timings };
  return { name: 'wasm', reason: `WASM: the GPU was not faster on the steps timed here (${timed} a step)`, timings };
}
