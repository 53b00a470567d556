// @ts-check
/**
 * Which TF.js backend to try first, and why: a pure decision, given what the
 * browser offers (the probe itself lives in engine/runtime.js).
 *
 * The page's models are small: WebAssembly runs one in a millisecond or two,
 * from a lean bundle of a few kernels (site/build/lean-tfjs.mjs). WebGL needs
 * the full library, compiles shaders before its first answer, and where the GPU
 * is emulated in software (VMs, remote desktops, headless browsers: SwiftShader,
 * llvmpipe) it measured many times slower than WASM. So WASM is the default
 * everywhere, plain JS its fallback, and WebGL is there for whoever asks for it
 * (?backend=webgl, or the backend selector).
 */

export const BACKENDS = /** @type {const} */ (['webgl', 'webgpu', 'wasm', 'cpu']);
// The backends of the lean bundle; the others need the full library.
export const LEAN_BACKENDS = ['wasm', 'cpu'];
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/**
 * @typedef {{available: boolean, renderer: string}} WebGLProbe what the browser's WebGL offers
 * @typedef {{available: boolean, adapter: string}} WebGPUProbe what its WebGPU offers: the adapter's
 *   vendor, architecture and description ("software" for a fallback adapter)
 * @typedef {{name: string, reason: string, full: boolean}} BackendChoice full: it needs the full library
 */

/** @param {string} renderer WebGL's (unmasked) renderer string */
export function isSoftwareRenderer(renderer) {
  return SOFTWARE_GL.test(renderer);
}

/** The software renderer's name in a renderer string ('SwiftShader'), or '' for hardware. @param {string} renderer */
export function softwareRendererName(renderer) {
  return renderer.match(SOFTWARE_GL)?.[0] ?? '';
}

/**
 * The backends to try, best first, each with the sentence the widget shows if it is the one that starts.
 * @param {{forced: string | null, webgl: WebGLProbe | null}} options forced: 'webgl' | 'webgpu' | 'wasm' | 'cpu' from ?backend=, or
 *   null; webgl: the probe's answer, or null while it is not in (the reasons then leave WebGL out)
 * @returns {BackendChoice[]}
 */
export function backendPlan({ forced, webgl }) {
  const gpu = !webgl
    ? ''
    : !webgl.available
      ? '; WebGL is unavailable in this browser'
      : isSoftwareRenderer(webgl.renderer)
        ? `; WebGL is software-rendered here (${softwareRendererName(webgl.renderer)}), many times slower than WASM`
        : `; WebGL would need the full library for models this small (${webgl.renderer})`;
  const plan = [
    { name: 'wasm', reason: `WASM: the fastest start for models this small${gpu}`, full: false },
    { name: 'cpu', reason: 'WASM could not start; using plain JS', full: false },
  ];
  if (!forced || !BACKENDS.includes(/** @type {any} */ (forced))) return plan;
  return [
    { name: forced, reason: `forced with ?backend=${forced}`, full: !LEAN_BACKENDS.includes(forced) },
    ...plan.map((choice) => ({ ...choice, reason: `${forced} could not start; ${choice.reason}` })),
  ];
}
